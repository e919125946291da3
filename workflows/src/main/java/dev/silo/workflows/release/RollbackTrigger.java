package dev.silo.workflows.release;

import java.time.Duration;

/**
 * A condition of the watch window that rolls a deployment back.
 *
 * @param kind what is watched
 * @param errorRatePercent the error rate, in percent of requests, above which an {@link
 *     Kind#ERROR_RATE} trigger fires; null for the other kinds
 * @param p99Latency the 99th-percentile latency above which a {@link Kind#P99_LATENCY} trigger
 *     fires; null for the other kinds
 */
public record RollbackTrigger(Kind kind, Double errorRatePercent, Duration p99Latency) {

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
    return new RollbackTrigger(Kind.HEALTH_CHECK_FAILURE, null, null);
  }

  /** A trigger that fires when the error rate exceeds {@code percent}. */
  public static RollbackTrigger errorRateAbove(double percent) {
    return new RollbackTrigger(Kind.ERROR_RATE, percent, null);
  }

  /** A trigger that fires when the p99 latency exceeds {@code latency}. */
  public static RollbackTrigger p99LatencyAbove(Duration latency) {
    return new RollbackTrigger(Kind.P99_LATENCY, null, latency);
  }
}
