package dev.silo.activities.fly;

import java.time.Duration;

/**
 * How long a deploy waits for its machine, and how it polls. The defaults fit the deploy
 * activity's options (15 minutes start-to-close, a 10-second heartbeat timeout): the two waits
 * together stay under 15 minutes, and the activity heartbeats at least every {@code waitSlice},
 * half the heartbeat timeout (the worker's heartbeat interceptor beats in between as well).
 *
 * @param start how long the machine may take to reach {@code started}
 * @param waitSlice how long one wait request lets Fly block (1 to 60 seconds); the activity
 *     heartbeats between two
 * @param health how long the started machine's checks may take to pass
 * @param pollInterval the pause between two looks at the checks
 */
record DeployTimeouts(Duration start, Duration waitSlice, Duration health, Duration pollInterval) {

  static final DeployTimeouts DEFAULT =
      new DeployTimeouts(Duration.ofMinutes(8), Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(2));

  DeployTimeouts {
    if (waitSlice.compareTo(Duration.ofSeconds(1)) < 0 || waitSlice.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("waitSlice must be between 1 and 60 seconds, the range Fly's wait accepts");
    }
  }
}
