package dev.silo.workflows.silo;

/**
 * A step could not do its job and the deployment must stop. Thrown by the step classes and caught
 * only by {@link SiloDeploymentWorkflowImpl}, which turns it into the run's ERROR outcome; it never
 * leaves workflow code.
 */
final class StepFailure extends RuntimeException {

  private final StepName step;

  StepFailure(StepName step, String message) {
    super(message, null, false, false);
    this.step = step;
  }

  StepName step() {
    return step;
  }
}
