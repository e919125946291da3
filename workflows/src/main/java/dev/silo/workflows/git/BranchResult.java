package dev.silo.workflows.git;

/**
 * The outcome of a branch operation.
 *
 * @param branch the branch
 * @param commit the commit the branch points at afterwards, or null when it no longer exists
 * @param previousCommit the commit it pointed at before, or null when it did not exist
 * @param outcome what was done
 */
public record BranchResult(String branch, String commit, String previousCommit, BranchOutcome outcome) {}
