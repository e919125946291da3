package dev.silo.workflows.release;

/** Where a deployment to one environment is, and how it ended. */
public enum EnvironmentStatus {
  /** Not started: an earlier environment has not succeeded yet. */
  PENDING(false),
  /** Queued behind another deployment of the same project to the same environment. */
  WAITING_FOR_LOCK(false),
  /** Running its stages. */
  RUNNING(false),
  /** Waiting for the approvals the environment requires. */
  AWAITING_APPROVAL(false),
  /** Deployed and healthy; the watch window reads the triggers. */
  WATCHING(false),
  /**
   * The watch window could not read its triggers often enough to decide, and waits for a person to
   * accept the version ({@code approve}) or roll it back ({@code reject}).
   */
  AWAITING_DECISION(false),
  /** Running the rollback steps. */
  ROLLING_BACK(false),
  /** Deployed, healthy, and watched without a trigger firing. */
  SUCCEEDED(true),
  /** A step failed before anything changed; nothing was rolled back because nothing needed it. */
  FAILED(true),
  /** A step failed or a trigger fired after the deployment changed something; rolled back. */
  ROLLED_BACK(true),
  /** An approver rejected it; nothing changed. */
  REJECTED(true),
  /** The approvals did not come in time; nothing changed. */
  APPROVAL_TIMED_OUT(true),
  /** Not deployed on purpose: an automatic run of a version marked bad. */
  SKIPPED(true),
  /**
   * Not deployed again: an earlier promotion of the same version and commit deployed it
   * successfully, and the promotion started again resumes after it.
   */
  ALREADY_DEPLOYED(true);

  private final boolean terminal;

  EnvironmentStatus(boolean terminal) {
    this.terminal = terminal;
  }

  /** Whether the deployment has ended. */
  public boolean isTerminal() {
    return terminal;
  }
}
