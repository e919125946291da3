package dev.silo.workflows.release;

/** How the approval gate ended; history and reports write it by its name. */
public enum ApprovalVerdict {
  /** The environment does not require approval. */
  NOT_REQUIRED,
  /** Enough of the named approvers approved. */
  APPROVED,
  /** An approver rejected it, or the environment names too few approvers to ever approve it. */
  REJECTED,
  /** The approvals did not come in time. */
  TIMED_OUT;

  /** Whether the deployment goes on past the gate. */
  boolean passes() {
    return this == NOT_REQUIRED || this == APPROVED;
  }
}
