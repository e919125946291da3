package dev.silo.workflows.summary;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.TimerOptions;
import java.time.Duration;

/**
 * Gives every activity a workflow schedules a summary ({@link ActivityOptions.Builder#setSummary}),
 * from {@link ActivitySummaries}, and every {@code Workflow.sleep} a timer summary, so the Web UI's
 * event history says what each row is. A summary is user metadata: it changes no command the
 * workflow issues, so recorded histories replay unchanged. A summary a call site sets itself wins.
 */
public final class SummaryInterceptor extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
        super.init(new Outbound(outboundCalls));
      }
    };
  }

  private static final class Outbound extends WorkflowOutboundCallsInterceptorBase {

    Outbound(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
      ActivityOptions options = input.getOptions();
      if (options != null && options.getSummary() != null) {
        return super.executeActivity(input);
      }
      ActivityOptions summarized = ActivityOptions.newBuilder(options)
          .setSummary(ActivitySummaries.of(input.getActivityName(), input.getArgs()))
          .build();
      return super.executeActivity(new ActivityInput<>(input.getActivityName(), input.getResultClass(),
          input.getResultType(), input.getArgs(), summarized, input.getHeader()));
    }

    @Override
    public void sleep(Duration duration) {
      super.newTimer(duration, TimerOptions.newBuilder().setSummary("wait " + describe(duration)).build()).get();
    }
  }

  /** A duration as people write it: "30 s", "5 min", "2 h", or milliseconds below a second. */
  static String describe(Duration duration) {
    if (duration.toMillis() < 1000) {
      return duration.toMillis() + " ms";
    }
    if (duration.toSeconds() < 120) {
      return duration.toSeconds() + " s";
    }
    if (duration.toMinutes() < 120) {
      return duration.toMinutes() + " min";
    }
    return duration.toHours() + " h";
  }
}
