package dev.silo.workflows.silo;

/** Where a silo deployment stands. */
public enum SiloStatus {
  /** The plan is published; the run waits for approve or reject. */
  AWAITING_APPROVAL,
  /** Steps are running. */
  RUNNING,
  /** The silo branch exists at another commit; the run waits for confirmBranchOverwrite. */
  AWAITING_BRANCH_CONFIRMATION,
  /** The desk failed three times; the run waits for retryDesk. */
  NEEDS_ATTENTION,
  /** Done: the silo is up (containers that failed are listed as degraded). */
  DEPLOYED,
  /** Rejected or not approved in time; nothing was created. */
  ABORTED,
  /** A step failed; what the runbook says to undo was undone. */
  ERROR,
  /** An operator cancelled the run; Fly apps it created were destroyed. */
  CANCELLED,
  /** A teardown ({@code silo destroy}) is done: what its plan listed is gone. */
  DESTROYED;

  /** Whether the run has ended in this status. */
  public boolean isFinal() {
    return this == DEPLOYED || this == ABORTED || this == ERROR || this == CANCELLED || this == DESTROYED;
  }
}
