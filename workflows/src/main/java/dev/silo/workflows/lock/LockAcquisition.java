package dev.silo.workflows.lock;

/**
 * @param lockWorkflowId the lock, as {@link EnvironmentLockWorkflow#workflowId} names it
 * @param taskQueue the task queue the lock runs on when it has to be started
 * @param request the request
 */
public record LockAcquisition(String lockWorkflowId, String taskQueue, LockRequest request) {}
