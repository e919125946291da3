package dev.silo.workflows.release;

/** Where a promotion is, and how it ended. */
public enum ReleaseStatus {
  /** Preparing the version or deploying an environment. */
  RUNNING,
  /** Every environment up to the target succeeded. */
  SUCCEEDED,
  /** The definition or the request was refused before any environment ran. */
  INVALID,
  /** An environment did not succeed; the environments after it were not deployed. */
  STOPPED,
  /** An automatic run with nothing to do: the version is marked bad. */
  SKIPPED
}
