package dev.silo.activities.command;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * Heartbeats of the activity running on the current thread, or nothing outside an activity. A
 * heartbeat is where Temporal reports a cancellation or a timed-out attempt: {@link #beat} then
 * throws {@link io.temporal.client.ActivityCompletionException}, and the caller stops its work.
 */
final class CommandHeartbeat {

  static final CommandHeartbeat NONE = new CommandHeartbeat(null);

  private final ActivityExecutionContext context;

  private CommandHeartbeat(ActivityExecutionContext context) {
    this.context = context;
  }

  /** The heartbeat of the activity on this thread; must be called on the activity's thread. */
  static CommandHeartbeat current() {
    try {
      return new CommandHeartbeat(Activity.getExecutionContext());
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
