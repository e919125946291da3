package dev.silo.workflows.release;

/**
 * Asks which version was last deployed successfully to an environment by another deployment.
 *
 * @param project the project
 * @param environment the environment
 * @param workflowId the asking deployment's workflow ID
 * @param runId the asking run, whose own record never counts as the previous one; an earlier run of
 *     the same workflow ID (the same version deployed before) does. Null in requests recorded before
 *     the run ID existed, which then exclude every record of the workflow ID
 */
public record FindPreviousDeploymentRequest(
    String project, String environment, String workflowId, String runId) {}
