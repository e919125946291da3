package dev.silo.activities.database;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * Heartbeats of the activity running on the current thread, or nothing when the code runs outside
 * an activity (a test, a command-line tool). A heartbeat is where Temporal reports a cancellation
 * or a timed-out attempt: {@link #beat} then throws {@link
 * io.temporal.client.ActivityCompletionException}, and the caller stops its work.
 */
final class ActivityHeartbeat {

  private static final ActivityHeartbeat NONE = new ActivityHeartbeat(null);

  private final ActivityExecutionContext context;

  private ActivityHeartbeat(ActivityExecutionContext context) {
    this.context = context;
  }

  /** The heartbeat of the activity on this thread; must be called on the activity's thread. */
  static ActivityHeartbeat current() {
    try {
      return new ActivityHeartbeat(Activity.getExecutionContext());
    } catch (IllegalStateException outsideAnActivity) {
      return NONE;
    }
  }

  /** Records progress; the SDK throttles what actually reaches the server. */
  void beat(String details) {
    if (context != null) {
      context.heartbeat(details);
    }
  }
}
