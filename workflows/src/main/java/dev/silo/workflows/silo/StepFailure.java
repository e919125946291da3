package dev.silo.workflows.silo;

/**
 * A step could not do its job and the deployment must stop. Thrown by the step classes and caught
 * only by {@link SiloRunner}, which turns it into the run's ERROR outcome (or, for an approval
 * refused or not given, ABORTED); it never leaves workflow code.
 */
final class StepFailure extends RuntimeException {

  private final StepName step;
  private final boolean aborted;

  StepFailure(StepName step, String message) {
    this(step, message, false);
  }

  private StepFailure(StepName step, String message, boolean aborted) {
    super(message, null, false, false);
    this.step = step;
    this.aborted = aborted;
  }

  /** The plan was rejected or not approved in time: nothing was created. */
  static StepFailure aborted(StepName step, String reason) {
    return new StepFailure(step, reason, true);
  }

  StepName step() {
    return step;
  }

  boolean aborted() {
    return aborted;
  }
}
