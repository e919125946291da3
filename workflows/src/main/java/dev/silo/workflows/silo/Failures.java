package dev.silo.workflows.silo;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** Reads what went wrong out of the failures Temporal hands the workflow. */
public final class Failures {

  /**
   * The message a person should read: the activity's or the child workflow's own, not Temporal's
   * wrapper around it.
   */
  public static String message(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure application) {
      return application.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure timeout) {
      return "timed out (" + timeout.getTimeoutType().name().toLowerCase().replace("timeout_type_", "") + ")";
    }
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return String.valueOf(cause.getMessage());
  }

  /** Whether the failure is the run being cancelled rather than the work going wrong. */
  public static boolean isCancellation(Throwable failure) {
    Throwable cause = failure;
    while (cause != null) {
      if (cause instanceof CanceledFailure) {
        return true;
      }
      cause = cause.getCause();
    }
    return false;
  }

  private Failures() {}
}
