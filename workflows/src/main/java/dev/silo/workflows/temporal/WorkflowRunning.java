package dev.silo.workflows.temporal;

/**
 * @param workflowId the workflow ID looked for
 * @param running whether it has an open run
 * @param runId the open run's ID; null when none is open
 */
public record WorkflowRunning(String workflowId, boolean running, String runId) {}
