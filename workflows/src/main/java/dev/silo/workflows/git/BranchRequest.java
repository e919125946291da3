package dev.silo.workflows.git;

/**
 * A branch and the branch it is made from.
 *
 * @param branch the silo branch, {@code silo/{client}-{app}}
 * @param baseBranch the branch it is made from, normally {@code main}
 */
public record BranchRequest(String branch, String baseBranch) {}
