package dev.silo.workflows.release;

/**
 * A version's standing in the ledger of rolled-back versions.
 *
 * @param project the project
 * @param version the version
 * @param bad whether the version was rolled back; the other fields are null when it was not
 * @param environment where it was rolled back
 * @param reason why
 * @param workflowId the deployment that rolled it back
 * @param markedAt when, as an ISO-8601 instant
 */
public record BadVersion(
    String project,
    String version,
    boolean bad,
    String environment,
    String reason,
    String workflowId,
    String markedAt) {

  /** A version the ledger does not hold. */
  public static BadVersion good(String project, String version) {
    return new BadVersion(project, version, false, null, null, null, null);
  }
}
