package dev.silo.workflows.release;

import java.time.Duration;
import java.util.Locale;

/**
 * A condition of the watch window that rolls a deployment back. Like an analysis metric of Argo
 * Rollouts, each reading of a trigger is good, bad or inconclusive: the trigger fires after {@code
 * failureLimit} consecutive bad readings, and after {@code inconclusiveLimit} inconclusive ones (a
 * metrics source that cannot be read) the deployment waits for a person to accept the version or
 * roll it back, since an unreadable source proves nothing either way.
 *
 * @param kind what is watched
 * @param errorRatePercent the error rate, in percent of requests, above which an {@link
 *     Kind#ERROR_RATE} trigger fires; null for the other kinds
 * @param p99Latency the 99th-percentile latency above which a {@link Kind#P99_LATENCY} trigger
 *     fires; null for the other kinds
 * @param failureLimit how many consecutive bad readings fire the trigger ({@code failure_limit});
 *     null for {@value #DEFAULT_FAILURE_LIMIT}
 * @param inconclusiveLimit how many inconclusive readings make the deployment wait for a person
 *     ({@code inconclusive_limit}); null for {@value #DEFAULT_INCONCLUSIVE_LIMIT}
 */
public record RollbackTrigger(
    Kind kind,
    Double errorRatePercent,
    Duration p99Latency,
    Integer failureLimit,
    Integer inconclusiveLimit) {

  /** One bad reading fires a trigger, as the runbook's triggers are written. */
  public static final int DEFAULT_FAILURE_LIMIT = 1;

  /** One unreadable reading already stops the watch from passing by itself. */
  public static final int DEFAULT_INCONCLUSIVE_LIMIT = 1;

  /** What a trigger watches. */
  public enum Kind {
    /** A health check of the environment fails. */
    HEALTH_CHECK_FAILURE,
    /** The error rate read from the metrics source exceeds a percentage. */
    ERROR_RATE,
    /** The p99 latency read from the metrics source exceeds a duration. */
    P99_LATENCY
  }

  /** A trigger that fires when a health check fails. */
  public static RollbackTrigger healthCheckFailure() {
    return new RollbackTrigger(Kind.HEALTH_CHECK_FAILURE, null, null, null, null);
  }

  /** A trigger that fires when the error rate exceeds {@code percent}. */
  public static RollbackTrigger errorRateAbove(double percent) {
    return new RollbackTrigger(Kind.ERROR_RATE, percent, null, null, null);
  }

  /** A trigger that fires when the p99 latency exceeds {@code latency}. */
  public static RollbackTrigger p99LatencyAbove(Duration latency) {
    return new RollbackTrigger(Kind.P99_LATENCY, null, latency, null, null);
  }

  /** This trigger with the given limits; null keeps a default. */
  public RollbackTrigger withLimits(Integer failures, Integer inconclusive) {
    return new RollbackTrigger(kind, errorRatePercent, p99Latency, failures, inconclusive);
  }

  /** The consecutive bad readings that fire the trigger. */
  public int failuresToFire() {
    return failureLimit == null ? DEFAULT_FAILURE_LIMIT : failureLimit;
  }

  /** The inconclusive readings that make the deployment wait for a person. */
  public int inconclusiveToWait() {
    return inconclusiveLimit == null ? DEFAULT_INCONCLUSIVE_LIMIT : inconclusiveLimit;
  }

  /** Whether the trigger reads the metrics source rather than the health checks. */
  public boolean readsMetrics() {
    return kind != Kind.HEALTH_CHECK_FAILURE;
  }

  /** The trigger as reports name it, such as {@code error_rate > 1%}. */
  public String label() {
    return switch (kind) {
      case HEALTH_CHECK_FAILURE -> "health_check_failure";
      case ERROR_RATE -> "error_rate > " + number(errorRatePercent) + "%";
      case P99_LATENCY -> "p99 > " + p99Latency.toMillis() + " ms";
    };
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
  }
}
