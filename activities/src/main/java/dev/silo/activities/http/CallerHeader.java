package dev.silo.activities.http;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.Request;

/**
 * Names the caller of a vendor request in the {@value #NAME} header: {@code
 * {workflowId}/{activityType}/{activityId}} of the activity the request is made for. The sandbox
 * records it with each call, so a benchmark can tell which silo and which activity every call
 * served. Real vendors ignore the header; it carries no secret.
 *
 * <p>Inside an activity the caller comes from the activity's execution context. Work done on
 * another thread on an activity's behalf carries it there: capture {@link #current()} on the
 * activity thread and run the work in {@link #actingFor}.
 */
public final class CallerHeader {

  /** The request header. */
  public static final String NAME = "X-Silo-Caller";

  private static final ThreadLocal<String> ACTING_FOR = new ThreadLocal<>();

  private CallerHeader() {}

  /** The caller on this thread: the one it acts for, else the activity it runs, else none. */
  public static Optional<String> current() {
    String actingFor = ACTING_FOR.get();
    if (actingFor != null) {
      return Optional.of(actingFor);
    }
    ActivityInfo info;
    try {
      info = Activity.getExecutionContext().getInfo();
    } catch (IllegalStateException | NullPointerException notAnActivityThread) {
      return Optional.empty();
    }
    return Optional.of(info.getWorkflowId() + "/" + info.getActivityType() + "/" + info.getActivityId());
  }

  /** Runs {@code work} on this thread on behalf of {@code caller}, as captured by {@link #current()}. */
  public static <T> T actingFor(Optional<String> caller, Supplier<T> work) {
    String before = ACTING_FOR.get();
    caller.ifPresentOrElse(ACTING_FOR::set, ACTING_FOR::remove);
    try {
      return work.get();
    } finally {
      if (before == null) {
        ACTING_FOR.remove();
      } else {
        ACTING_FOR.set(before);
      }
    }
  }

  /** {@link #actingFor(Optional, Supplier)} for work without a result. */
  public static void actingFor(Optional<String> caller, Runnable work) {
    actingFor(caller, () -> {
      work.run();
      return null;
    });
  }

  /** The request, naming the current caller when there is one. */
  public static Request.Builder onto(Request.Builder request) {
    current().ifPresent(caller -> request.header(NAME, caller));
    return request;
  }
}
