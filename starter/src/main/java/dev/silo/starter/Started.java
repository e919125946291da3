package dev.silo.starter;

/**
 * The json output of {@code silo deploy} and {@code silo release start}: the run that was started.
 *
 * @param workflowId the workflow ID
 * @param runId the run ID
 * @param signedBy the fingerprint of the key that signed the start; null when unsigned
 */
record Started(String workflowId, String runId, String signedBy) {

  /** Who signed a start, for people: the key, or that the start is unsigned and who may refuse it. */
  static String signature(String fingerprint) {
    return fingerprint != null
        ? "by key " + fingerprint + " (the run records its principal as the requester)"
        : "no: unsigned start (a worker with an allowed-signers file refuses it)";
  }
}
