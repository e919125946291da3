package dev.silo.workflows.release;

/** How one pipeline step ended. */
public enum StepOutcome {
  PASSED,
  /** Failed; for a step that does not block, the stage went on. */
  FAILED,
  /** Failed, but the step is not {@code blocking}, so the stage went on. */
  WARNED,
  /** Not run. */
  SKIPPED
}
