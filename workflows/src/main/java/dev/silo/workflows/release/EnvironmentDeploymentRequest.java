package dev.silo.workflows.release;

/**
 * @param project the project
 * @param version the version as the requester wrote it
 * @param environment the environment to deploy to
 * @param requester who asked; never an approver
 * @param automatic whether an automation asked (see {@link ReleaseRequest#automatic()})
 * @param release the version's commit and definition, prepared by the pipeline
 */
public record EnvironmentDeploymentRequest(
    String project,
    String version,
    String environment,
    String requester,
    boolean automatic,
    PreparedRelease release) {}
