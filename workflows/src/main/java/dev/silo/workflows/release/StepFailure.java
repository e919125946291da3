package dev.silo.workflows.release;

/**
 * A step that failed, with the line its result reports: what {@link
 * dev.silo.workflows.Failures#orStepFailure} makes of an activity's failure, caught where the step
 * turns it into a {@link StepResult}. It never leaves the workflow.
 */
final class StepFailure extends RuntimeException {

  StepFailure(String detail) {
    super(detail, null, false, false);
  }

  /** What the step's result says happened. */
  String detail() {
    return getMessage();
  }
}
