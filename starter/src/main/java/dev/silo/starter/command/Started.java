package dev.silo.starter.command;

/**
 * The json output of {@code silo deploy} and {@code silo release start}: the run that was started.
 *
 * @param workflowId the workflow ID
 * @param runId the run ID
 * @param signedBy the fingerprint of the key that signed the start; null when unsigned
 */
public record Started(String workflowId, String runId, String signedBy) {

  /** Who signed a start, for people: the key, or that the start is unsigned and who may refuse it. */
  public static String signature(String fingerprint) {
    return fingerprint != null
        ? "by key " + fingerprint + " (the run records its principal as the requester)"
        : "no: unsigned start (a worker with an allowed-signers file refuses it)";
  }
}
