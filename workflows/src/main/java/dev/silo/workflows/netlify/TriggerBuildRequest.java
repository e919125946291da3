package dev.silo.workflows.netlify;

/**
 * @param branch the branch to build
 * @param idempotencyKey derived from the workflow ID, so a retry never starts a second build
 */
public record TriggerBuildRequest(String branch, String idempotencyKey) {}
