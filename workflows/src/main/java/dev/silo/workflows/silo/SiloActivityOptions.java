package dev.silo.workflows.silo;

import static dev.silo.workflows.ActivityRetries.retries;

import dev.silo.workflows.ActivityHeartbeats;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import java.time.Duration;

/**
 * Timeouts and retries of every activity the silo deployment calls. Each external wait declares
 * its own bound; every activity that can last more than a few seconds heartbeats and has a
 * heartbeat timeout of {@link ActivityHeartbeats#TIMEOUT}, so a dead worker is noticed within
 * seconds rather than at the end of the whole wait.
 */
public final class SiloActivityOptions {

  /**
   * The worker's allowed signers: read from memory, so a short timeout, which bounds a dead
   * worker's attempt as a heartbeat timeout would.
   */
  static final ActivityOptions TRUST = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .build();

  /**
   * {@link #TRUST} as a local activity, on the worker that runs the workflow task: a read of its
   * memory, so it holds that task for microseconds and costs no round trip through the server.
   */
  public static final LocalActivityOptions TRUST_LOCAL = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .build();

  /** Reading the config directory is quick; a broken directory fails at once (non-retryable). */
  public static final ActivityOptions CONFIG = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(1)))
      .build();

  /** The runbook says: retry the desk three times, then hand over to an operator. */
  public static final ActivityOptions DESK = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(2)))
      .build();

  /** One container: pull, create, start and the healthcheck's own retries; heartbeats while probing. */
  static final ActivityOptions DOCKER = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(2)))
      .build();

  /** Organization and app creation: single API calls. */
  static final ActivityOptions FLY_API = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(5, Duration.ofSeconds(2)))
      .build();

  /** A machine deploy waits for started and healthy; heartbeats while it waits. */
  static final ActivityOptions FLY_DEPLOY = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(15))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(5)))
      .build();

  /**
   * Waiting for a submitted machine to start and pass its checks. The wait holds no worker slot:
   * the worker's machine watcher heartbeats for it, so a dead worker's wait times out within the
   * heartbeat timeout and is retried, a second later, on a worker that lives.
   */
  static final ActivityOptions FLY_AWAIT = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(15))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(1)))
      .build();

  /**
   * Destroying an app is the saga's compensation: it must get through, so it retries longer than
   * anything else.
   */
  static final ActivityOptions FLY_DESTROY = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(10, Duration.ofSeconds(2)))
      .build();

  /** Secrets, migrations and keys. */
  static final ActivityOptions DATABASE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(2)))
      .build();

  static final ActivityOptions GIT = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(5, Duration.ofSeconds(2)))
      .build();

  static final ActivityOptions NETLIFY_API = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(5, Duration.ofSeconds(2)))
      .build();

  /** The first build of the branch: minutes, polled with heartbeats. */
  static final ActivityOptions NETLIFY_BUILD = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(retries(3, Duration.ofSeconds(5)))
      .build();

  private SiloActivityOptions() {}
}
