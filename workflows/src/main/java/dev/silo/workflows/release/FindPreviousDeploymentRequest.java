package dev.silo.workflows.release;

/**
 * Asks which version was last deployed successfully to an environment by another deployment.
 *
 * @param project the project
 * @param environment the environment
 * @param workflowId the asking deployment, whose own record never counts as the previous one
 */
public record FindPreviousDeploymentRequest(String project, String environment, String workflowId) {}
