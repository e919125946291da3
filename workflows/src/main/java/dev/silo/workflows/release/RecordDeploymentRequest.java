package dev.silo.workflows.release;

/**
 * Records that a deployment succeeded, so that the next deployment of the environment knows the
 * version it would roll back to.
 *
 * @param project the project
 * @param environment the environment
 * @param version the version deployed
 * @param commit the commit the version resolved to
 * @param workflowId the deployment; recording the same deployment again changes nothing
 */
public record RecordDeploymentRequest(
    String project, String environment, String version, String commit, String workflowId) {}
