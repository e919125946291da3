package dev.silo.workflows.release;

/**
 * Asks in which environments a version was deployed successfully.
 *
 * @param project the project
 * @param version the version as requested
 * @param commit the commit it resolves to now; a deployment of another commit under the same name
 *     (a branch that moved) does not count
 */
public record FindVersionDeploymentsRequest(String project, String version, String commit) {}
