package dev.silo.activities.heartbeat;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

/**
 * Keeps every activity of the worker heartbeating while it runs (see {@link
 * ActivityHeartbeat#keepingAlive}), so no activity, however long its single blocking call, misses
 * its heartbeat timeout on a live worker, and every activity of a killed worker stops heartbeating
 * with it.
 */
public final class HeartbeatInterceptor extends WorkerInterceptorBase {

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
        return ActivityHeartbeat.keepingAlive(context, () -> super.execute(input));
      }
    };
  }
}
