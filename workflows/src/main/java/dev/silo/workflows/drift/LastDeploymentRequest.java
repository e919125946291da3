package dev.silo.workflows.drift;

/** @param deploymentWorkflowId the silo's deployment workflow ID, {@code silo-{client}-{app}} */
public record LastDeploymentRequest(String deploymentWorkflowId) {}
