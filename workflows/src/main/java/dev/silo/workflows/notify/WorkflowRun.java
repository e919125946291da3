package dev.silo.workflows.notify;

/**
 * One workflow run, as the Web UI addresses it.
 *
 * @param namespace the Temporal namespace
 * @param workflowId the workflow ID
 * @param runId the run ID
 */
public record WorkflowRun(String namespace, String workflowId, String runId) {}
