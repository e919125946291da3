package dev.silo.workflows.power;

import static dev.silo.workflows.ActivityRetries.retries;

import dev.silo.workflows.ActivityHeartbeats;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the activities a power run calls that the deployment does not; the desk,
 * the config and the allowed signers are read and written with the deployment's own options ({@link
 * dev.silo.workflows.silo.SiloActivityOptions}).
 */
final class PowerActivityOptions {

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
