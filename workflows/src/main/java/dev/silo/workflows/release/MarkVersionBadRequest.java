package dev.silo.workflows.release;

/**
 * @param project the project
 * @param version the version rolled back
 * @param environment where it was rolled back
 * @param reason why, as the rollback's report gives it
 * @param workflowId the deployment that rolled it back
 */
public record MarkVersionBadRequest(
    String project, String version, String environment, String reason, String workflowId) {}
