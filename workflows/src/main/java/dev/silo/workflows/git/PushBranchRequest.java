package dev.silo.workflows.git;

/**
 * Create or move a silo branch to the base branch's commit.
 *
 * @param branch the silo branch
 * @param baseBranch the branch whose commit the silo branch gets
 * @param force whether a branch at another commit may be overwritten (after a human confirmed it)
 * @param expectedCommit with {@code force}, the commit the branch must still point at; null
 *     otherwise
 */
public record PushBranchRequest(String branch, String baseBranch, boolean force, String expectedCommit) {}
