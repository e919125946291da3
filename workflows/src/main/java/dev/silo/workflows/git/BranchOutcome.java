package dev.silo.workflows.git;

/** What a branch operation did on the remote. */
public enum BranchOutcome {
  /** The branch did not exist and now points at the base commit. */
  CREATED,
  /** The branch already pointed at the base commit; nothing was pushed. */
  ALREADY_AT_COMMIT,
  /** The branch pointed elsewhere and was force-pushed after confirmation. */
  OVERWRITTEN,
  /** The branch was deleted. */
  DELETED,
  /** The branch did not exist; nothing was deleted. */
  ABSENT
}
