package dev.silo.workflows.temporal;

/** @param workflowId the workflow ID whose open run is looked for */
public record WorkflowRunningRequest(String workflowId) {}
