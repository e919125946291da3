package dev.silo.activities.docker;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * Heartbeats the activity that created it, from any thread. Outside an activity (the activities
 * called directly, as a demo or a test may) it does nothing. A heartbeat that finds the activity
 * cancelled or timed out throws, which ends the wait that sent it.
 */
final class Heartbeat {

  private final ActivityExecutionContext context;

  private Heartbeat(ActivityExecutionContext context) {
    this.context = context;
  }

  /** The heartbeat of the activity running on this thread, if any. */
  static Heartbeat ofCurrentActivity() {
    try {
      return new Heartbeat(Activity.getExecutionContext());
    } catch (IllegalStateException notInAnActivity) {
      return new Heartbeat(null);
    }
  }

  /** Reports progress; Temporal throttles what reaches the server. */
  void beat(String progress) {
    if (context != null) {
      context.heartbeat(progress);
    }
  }
}
