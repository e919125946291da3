package dev.silo.worker.metrics;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.metadata.POJOActivityImplMetadata;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every activity execution as a call to an external system: {@value #EXTERNAL_CALLS} tagged
 * {@value #SYSTEM} (the last package segment of the activity interface, such as {@code fly} for
 * {@code dev.silo.workflows.fly.FlyActivities}) and {@value #STATUS} ({@value #OK}, the type of the
 * {@link ApplicationFailure} thrown, or {@value #ERROR} for any other exception).
 *
 * <p>The counter goes to the activity's own metrics scope, which carries the SDK's activity type,
 * task queue and namespace tags and reaches the registry the worker's service stubs report to.
 */
public final class ExternalCallInterceptor extends WorkerInterceptorBase {

  /** The counter's name. */
  public static final String EXTERNAL_CALLS = "silo_external_calls";

  /** The tag naming the external system. */
  public static final String SYSTEM = "system";

  /** The tag naming the outcome. */
  public static final String STATUS = "status";

  /** The status of a call that returned. */
  public static final String OK = "ok";

  /** The status of a call that threw something other than an {@link ApplicationFailure}. */
  public static final String ERROR = "error";

  // Activity type names are unique on a worker, so the system is worked out once per type.
  private final Map<String, String> systemByActivityType = new ConcurrentHashMap<>();

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        String status = ERROR;
        try {
          ActivityOutput output = super.execute(input);
          status = OK;
          return output;
        } catch (ApplicationFailure failure) {
          status = failure.getType() == null || failure.getType().isBlank() ? ERROR : failure.getType();
          throw failure;
        } finally {
          count(context, status);
        }
      }
    };
  }

  private void count(ActivityExecutionContext context, String status) {
    String system = systemByActivityType.computeIfAbsent(context.getInfo().getActivityType(),
        type -> systemOf(context.getInstance(), type));
    context.getMetricsScope().tagged(Map.of(SYSTEM, system, STATUS, status)).counter(EXTERNAL_CALLS).inc(1);
  }

  private static String systemOf(Object implementation, String activityType) {
    try {
      for (POJOActivityInterfaceMetadata activityInterface :
          POJOActivityImplMetadata.newInstance(implementation.getClass()).getActivityInterfaces()) {
        for (POJOActivityMethodMetadata method : activityInterface.getMethodsMetadata()) {
          if (method.getActivityTypeName().equals(activityType)) {
            return lastSegment(activityInterface.getInterfaceClass().getPackageName());
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // A dynamic activity implements no activity interface; its own package names it below.
    }
    return lastSegment(implementation.getClass().getPackageName());
  }

  private static String lastSegment(String packageName) {
    return packageName.substring(packageName.lastIndexOf('.') + 1);
  }
}
