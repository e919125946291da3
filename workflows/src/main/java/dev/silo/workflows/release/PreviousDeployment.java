package dev.silo.workflows.release;

/**
 * A successful deployment of an environment as the worker's ledger holds it, or none.
 *
 * @param found whether there is one; the other fields are null when not
 * @param version the version deployed
 * @param commit the commit the version resolved to
 * @param workflowId the deployment that recorded it
 * @param deployedAt when it was recorded, ISO-8601 UTC
 */
public record PreviousDeployment(
    boolean found, String version, String commit, String workflowId, String deployedAt) {

  /** No deployment recorded. */
  public static PreviousDeployment none() {
    return new PreviousDeployment(false, null, null, null, null);
  }
}
