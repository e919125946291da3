package dev.silo.workflows.release;

/**
 * What every step of one environment's deployment knows.
 *
 * @param project the project
 * @param version the version as requested
 * @param requester who asked
 * @param release the prepared version: commit, definition, files
 * @param environment the environment deployed to
 */
record DeploymentContext(
    String project, String version, String requester, PreparedRelease release, EnvironmentDefinition environment) {}
