package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;

/**
 * A step could not do its job and the deployment must stop. Thrown by the step classes and caught
 * only by {@link SiloRunner}, which turns it into the run's ERROR outcome (or, for an approval
 * refused or not given, ABORTED); it never leaves workflow code. Under guided failure the runner
 * asks a person first ({@link #guidable()}).
 */
final class StepFailure extends RuntimeException implements Failures.Classified {

  /** The type of a failure a step judged from its own results rather than from an activity's failure. */
  static final String STEP_FAILED = "STEP_FAILED";

  private final StepName step;
  private final boolean aborted;
  private final boolean guidable;
  private String type = STEP_FAILED;

  StepFailure(StepName step, String message) {
    this(step, message, false, true);
  }

  private StepFailure(StepName step, String message, boolean aborted, boolean guidable) {
    super(message, null, false, false);
    this.step = step;
    this.aborted = aborted;
    this.guidable = guidable;
  }

  /** The plan was rejected or not approved in time: nothing was created. */
  static StepFailure aborted(StepName step, String reason) {
    return new StepFailure(step, reason, true, false);
  }

  /**
   * The step stopped because a person declined what it needed: asking a person again what to do
   * about it (guided failure) would only repeat their answer.
   */
  static StepFailure declined(StepName step, String reason) {
    return new StepFailure(step, reason, false, false);
  }

  /** A failure of the given type, judged by the step from what it got back. */
  static StepFailure ofType(StepName step, String message, String type) {
    StepFailure failure = new StepFailure(step, message);
    failure.classify(type);
    return failure;
  }

  @Override
  public void classify(String failureType) {
    this.type = failureType;
  }

  StepName step() {
    return step;
  }

  boolean aborted() {
    return aborted;
  }

  /** Whether a person may be asked to retry, skip or abort, instead of the run ending at once. */
  boolean guidable() {
    return guidable;
  }

  /** The type of what went wrong, as the activity reported it ({@link Failures#type}). */
  String type() {
    return type;
  }
}
