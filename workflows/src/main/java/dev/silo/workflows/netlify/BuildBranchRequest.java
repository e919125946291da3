package dev.silo.workflows.netlify;

/**
 * @param branch the silo branch whose deploy must exist
 * @param idempotencyKey derived from the workflow ID; the title of the build this call triggers, so
 *     the build a retry finds is recognisably this silo's
 */
public record BuildBranchRequest(String branch, String idempotencyKey) {}
