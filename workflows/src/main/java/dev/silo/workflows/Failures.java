package dev.silo.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.function.Function;
import java.util.function.Supplier;

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

  /**
   * Runs one call of a step and turns its failure into the step's own: a cancellation of the run
   * passes through untouched, any other activity or child workflow failure becomes what
   * {@code asStepFailure} makes of its message.
   */
  public static <T> T orStepFailure(Supplier<T> call, Function<String, ? extends RuntimeException> asStepFailure) {
    try {
      return call.get();
    } catch (ActivityFailure | ChildWorkflowFailure failure) {
      if (isCancellation(failure)) {
        throw failure;
      }
      RuntimeException stepFailure = asStepFailure.apply(message(failure));
      if (stepFailure instanceof Classified classified) {
        classified.classify(type(failure));
      }
      throw stepFailure;
    }
  }

  /**
   * A failure that keeps the type of the failure it stands for, so that a person deciding what to do
   * about it reads the type beside the message.
   */
  public interface Classified {
    void classify(String type);
  }

  /**
   * The type of what went wrong: the activity's or child workflow's {@code ApplicationFailure} type,
   * {@code TIMEOUT} for a timeout, or the failure's class for anything else.
   */
  public static String type(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure application) {
      return application.getType();
    }
    if (cause instanceof TimeoutFailure) {
      return "TIMEOUT";
    }
    return cause.getClass().getSimpleName();
  }

  /** {@link #orStepFailure(Supplier, Function)} for a call that returns nothing. */
  public static void orStepFailure(Runnable call, Function<String, ? extends RuntimeException> asStepFailure) {
    orStepFailure(() -> {
      call.run();
      return null;
    }, asStepFailure);
  }

  private Failures() {}
}
