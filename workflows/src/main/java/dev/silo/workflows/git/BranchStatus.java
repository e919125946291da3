package dev.silo.workflows.git;

/**
 * Where a branch and its base point on the remote.
 *
 * @param branch the branch
 * @param exists whether the branch exists on the remote
 * @param commit the branch's commit, or null when it does not exist
 * @param baseBranch the base branch
 * @param baseCommit the base branch's commit
 */
public record BranchStatus(String branch, boolean exists, String commit, String baseBranch, String baseCommit) {

  /** Whether pushing the branch would move an existing branch, which needs a human's confirmation. */
  public boolean needsOverwrite() {
    return exists && !baseCommit.equals(commit);
  }
}
