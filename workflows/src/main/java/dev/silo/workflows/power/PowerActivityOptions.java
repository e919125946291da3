package dev.silo.workflows.power;

import static dev.silo.workflows.ActivityRetries.retries;

import dev.silo.workflows.ActivityHeartbeats;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import java.time.Duration;

/** Timeouts and retries of every activity a power run calls. */
final class PowerActivityOptions {

  /** The worker's allowed signers, read from its memory. */
  static final LocalActivityOptions TRUST = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .build();

  /** Three attempts, as the runbook retries the desk. */
  static final ActivityOptions DESK = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(2)))
      .build();

  /** Reading the silo's config for the Docker task queue its {@code silo.yml} names. */
  static final ActivityOptions CONFIG = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(1)))
      .build();

  /**
   * Stopping or starting a project's containers. A worker beside the engine must pick the task up
   * within {@link #DOCKER_PICKUP}: when none polls the queue, the audit says so instead of the run
   * waiting for ever.
   */
  static final Duration DOCKER_PICKUP = Duration.ofMinutes(2);

  static final ActivityOptions DOCKER = ActivityOptions.newBuilder()
      .setScheduleToStartTimeout(DOCKER_PICKUP)
      .setStartToCloseTimeout(Duration.ofMinutes(5))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(2)))
      .build();

  /** Stopping or starting one app's machines and waiting for their state; heartbeats while it waits. */
  static final ActivityOptions FLY = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(2)))
      .build();

  private PowerActivityOptions() {}
}
