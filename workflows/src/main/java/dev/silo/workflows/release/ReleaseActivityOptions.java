package dev.silo.workflows.release;

import static dev.silo.workflows.ActivityRetries.retries;

import dev.silo.workflows.ActivityHeartbeats;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the activities a release calls. Steps carry their own timeout, so the
 * options of a step's activity are made from it; the constants here are the fixed ones. Every one
 * has a heartbeat timeout of {@link ActivityHeartbeats#TIMEOUT}, and its activity heartbeats, so a
 * dead worker's attempt is retried within seconds.
 */
final class ReleaseActivityOptions {

  /** Checking the version out and reading its definition. */
  static final ActivityOptions PREPARE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(5))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(5, Duration.ofSeconds(2)))
      .build();

  /**
   * The ledgers of bad versions and deployments, the check of the worker's variables and the lock
   * request: quick local calls.
   */
  static final ActivityOptions BOOKKEEPING = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(10, Duration.ofSeconds(1)))
      .build();

  /**
   * One reading of the metrics in the watch window; a reading still failing after these retries is
   * inconclusive.
   */
  static final ActivityOptions METRICS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(1)))
      .build();

  /** How much longer than the step's own timeout its activity may take: checkout, connection. */
  private static final Duration MARGIN = Duration.ofMinutes(2);

  /**
   * A step's activity: bounded by the step's timeout plus a margin, heartbeating all along,
   * retried only for infrastructure failures (a failing command or check is a result, not a
   * failure, so it is never retried here).
   */
  static ActivityOptions forStep(Duration timeout) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(timeout.plus(MARGIN))
        .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
        .setRetryOptions(retries(3, Duration.ofSeconds(2)))
        .build();
  }

  private ReleaseActivityOptions() {}
}
