package dev.silo.workflows.silo;

/** What a running step may tell the people following the run: the runner owns the rest. */
final class StepContext {

  private final StepName step;
  private final DeploymentProgress progress;

  StepContext(StepName step, DeploymentProgress progress) {
    this.step = step;
    this.progress = progress;
  }

  /** Replaces the step's one-line detail. */
  void update(String detail) {
    progress.update(step, detail);
  }

  /** Lists an item the deployment goes on without. */
  void degraded(String item, String reason) {
    progress.degraded(new DegradedItem(step, item, reason));
  }
}
