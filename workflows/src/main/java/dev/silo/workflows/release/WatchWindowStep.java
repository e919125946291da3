package dev.silo.workflows.release;

import dev.silo.workflows.health.HealthActivities;
import dev.silo.workflows.health.MetricsQuery;
import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.silo.Failures;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The watch window: the deployed version is read at each interval until the window ends, and the
 * first trigger that fires ends it. A metrics reading that cannot be had is noted and is not a
 * trigger: a missing metric says nothing about the version.
 */
final class WatchWindowStep {

  /** How long a failing health check is repeated within one reading before it counts. */
  private static final Duration HEALTH_RETRY_WINDOW = Duration.ofSeconds(10);

  private final DeploymentContext context;
  private final StepRunner runner;
  private final HealthActivities metrics =
      Workflow.newActivityStub(HealthActivities.class, ReleaseActivityOptions.METRICS);

  WatchWindowStep(DeploymentContext context, StepRunner runner) {
    this.context = context;
    this.runner = runner;
  }

  /** Watches; the result is FAILED, with the trigger and its values, when a trigger fired. */
  StepResult watch(List<RollbackTrigger> triggers, List<PipelineStep> healthChecks) {
    WatchWindow window = context.environment().watch();
    long started = Workflow.currentTimeMillis();
    if (window.duration().isZero() || triggers.isEmpty()) {
      return new StepResult("watch", "Watch window", "watch", StepOutcome.SKIPPED, 0,
          triggers.isEmpty() ? "the pipeline has no rollback triggers" : "the environment's watch window is 0s");
    }
    String metricsUrl = context.environment().metricsUrl();
    boolean readsMetrics = metricsUrl != null && triggers.stream().anyMatch(t -> t.kind() != RollbackTrigger.Kind.HEALTH_CHECK_FAILURE);
    long end = started + window.duration().toMillis();
    int readings = 0;
    int unreadable = 0;
    double worstErrorRate = -1;
    double worstP99 = -1;
    while (Workflow.currentTimeMillis() < end) {
      Workflow.sleep(Duration.ofMillis(Math.min(window.interval().toMillis(), end - Workflow.currentTimeMillis())));
      readings++;
      for (RollbackTrigger trigger : triggers) {
        if (trigger.kind() == RollbackTrigger.Kind.HEALTH_CHECK_FAILURE) {
          for (PipelineStep check : healthChecks) {
            StepResult result = runner.run("watch", check, HEALTH_RETRY_WINDOW);
            if (result.outcome() == StepOutcome.FAILED) {
              return fired(started, "health check '" + check.name() + "' failed during the watch window: " + result.detail());
            }
          }
        }
      }
      if (readsMetrics) {
        MetricsSample sample;
        try {
          sample = metrics.readMetrics(new MetricsQuery(metricsUrl, window.errorRateQuery(), window.p99Query(),
              Instant.ofEpochMilli(Workflow.currentTimeMillis())));
        } catch (ActivityFailure failure) {
          if (Failures.isCancellation(failure)) {
            throw failure;
          }
          unreadable++;
          continue;
        }
        for (RollbackTrigger trigger : triggers) {
          String breach = breach(trigger, sample);
          if (breach != null) {
            return fired(started, breach);
          }
        }
        if (sample.errorRatePercent() != null) {
          worstErrorRate = Math.max(worstErrorRate, sample.errorRatePercent());
        }
        if (sample.p99Millis() != null) {
          worstP99 = Math.max(worstP99, sample.p99Millis());
        }
      }
    }
    String summary = readings + " readings over " + window.duration()
        + (readsMetrics ? "; worst error rate " + (worstErrorRate < 0 ? "n/a" : format(worstErrorRate) + "%")
            + ", worst p99 " + (worstP99 < 0 ? "n/a" : format(worstP99) + " ms") : "")
        + (unreadable > 0 ? "; " + unreadable + " metrics reading(s) failed" : "")
        + (metricsUrl == null && triggers.stream().anyMatch(t -> t.kind() != RollbackTrigger.Kind.HEALTH_CHECK_FAILURE)
            ? "; the environment has no metrics_url, so error-rate and latency triggers were not read" : "");
    return new StepResult("watch", "Watch window", "watch", StepOutcome.PASSED,
        Workflow.currentTimeMillis() - started, summary);
  }

  private StepResult fired(long started, String reason) {
    return new StepResult("watch", "Watch window", "watch", StepOutcome.FAILED,
        Workflow.currentTimeMillis() - started, reason);
  }

  /** The trigger's breach as the report states it, or null when it holds. */
  static String breach(RollbackTrigger trigger, MetricsSample sample) {
    return switch (trigger.kind()) {
      case ERROR_RATE -> sample.errorRatePercent() != null && sample.errorRatePercent() > trigger.errorRatePercent()
          ? "error rate " + format(sample.errorRatePercent()) + "% above " + format(trigger.errorRatePercent()) + "%"
          : null;
      case P99_LATENCY -> sample.p99Millis() != null && sample.p99Millis() > trigger.p99Latency().toMillis()
          ? "p99 latency " + format(sample.p99Millis()) + " ms above " + trigger.p99Latency().toMillis() + " ms"
          : null;
      case HEALTH_CHECK_FAILURE -> null;
    };
  }

  private static String format(double value) {
    return value >= Double.MAX_VALUE ? "inf" : String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
  }
}
