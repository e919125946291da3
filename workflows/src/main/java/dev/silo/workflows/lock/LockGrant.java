package dev.silo.workflows.lock;

/**
 * @param lockWorkflowId the lock that grants
 * @param previousHolder the workflow that held the environment before, or null
 */
public record LockGrant(String lockWorkflowId, String previousHolder) {}
