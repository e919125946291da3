package dev.silo.workflows.release;

/**
 * Records that a deployment succeeded, so that the next deployment of the environment knows the
 * version it would roll back to.
 *
 * @param project the project
 * @param environment the environment
 * @param version the version deployed
 * @param commit the commit the version resolved to
 * @param workflowId the deployment's workflow ID, {@code release-{project}-{version}-{env}}: the same
 *     each time a version goes to an environment
 * @param runId the run of that workflow; recording the same run again changes nothing, while a
 *     later run of the same workflow ID (the version deployed again) is a new deployment. Null in
 *     requests recorded before the run ID existed, which then deduplicate on the workflow ID alone
 */
public record RecordDeploymentRequest(
    String project, String environment, String version, String commit, String workflowId, String runId) {}
