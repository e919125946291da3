package dev.silo.workflows;

import java.time.Duration;

/**
 * How quickly Temporal notices that a worker running an activity has died. Every activity that can
 * last more than a few seconds has {@link #TIMEOUT} as its heartbeat timeout and heartbeats well
 * inside it while it works (the activities module's heartbeat says how often), so a killed
 * worker's activity times out within seconds and is retried on a worker that lives, instead of at
 * the end of its start-to-close timeout, which is minutes for some.
 */
public final class ActivityHeartbeats {

  /**
   * The heartbeat timeout of every activity longer than a few seconds: short enough that a run
   * moves again within seconds of a replacement worker starting, long enough for a worker on a
   * busy machine to get its heartbeats through.
   */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ActivityHeartbeats() {}
}
