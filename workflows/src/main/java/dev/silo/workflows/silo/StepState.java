package dev.silo.workflows.silo;

/** Where one step stands. */
public enum StepState {
  PENDING,
  RUNNING,
  /** Waiting for a person's signal. */
  WAITING,
  SUCCEEDED,
  /** Done, with items skipped (containers that would not start). */
  DEGRADED,
  FAILED,
  /** Not run because the deployment stopped before it. */
  SKIPPED
}
