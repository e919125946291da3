package dev.silo.workflows.git;

/**
 * Where a branch points on the remote, relative to a recorded commit.
 *
 * @param branch the branch
 * @param exists whether it exists on the remote
 * @param commit its commit, or null when it does not exist
 * @param containsRecorded whether the recorded commit is the branch's commit or one of its
 *     ancestors (developers pushed on top of it); false when the branch was moved elsewhere
 */
public record BranchPosition(String branch, boolean exists, String commit, boolean containsRecorded) {}
