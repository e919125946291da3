package dev.silo.workflows.release;

/**
 * A successful deployment of a version to an environment by an earlier promotion of the same
 * version, which a promotion started again does not repeat.
 *
 * @param environment the environment
 * @param version the version deployed
 * @param commit the commit it resolved to; the same as the promotion's, or it would not count
 * @param workflowId the deployment's workflow ID
 * @param runId the deployment's run; null when the ledger recorded it before run IDs were kept
 * @param deployedAt when it was recorded, ISO-8601 UTC
 */
public record EarlierDeployment(
    String environment, String version, String commit, String workflowId, String runId, String deployedAt) {

  /** How the plan and the report say it: {@code already deployed <when>, run <id>}. */
  public String line() {
    return "already deployed " + deployedAt + ", run " + (runId == null ? workflowId : runId);
  }
}
