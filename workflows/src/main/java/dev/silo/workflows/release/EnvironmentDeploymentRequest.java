package dev.silo.workflows.release;

/**
 * @param project the project
 * @param version the version as the requester wrote it
 * @param environment the environment to deploy to
 * @param requester who asked; never an approver
 * @param automatic whether an automation asked (see {@link ReleaseRequest#automatic()})
 * @param release the version's commit and definition, prepared by the pipeline
 * @param requesterFingerprint the fingerprint of the key that signed the release's start, which
 *     may never approve it; null when the start was not signed (the worker has no allowed-signers
 *     file, or the pipeline was started before starts were signed)
 */
public record EnvironmentDeploymentRequest(
    String project,
    String version,
    String environment,
    String requester,
    boolean automatic,
    PreparedRelease release,
    String requesterFingerprint) {

  /** A request whose requester is known by name only. */
  public EnvironmentDeploymentRequest(String project, String version, String environment, String requester,
      boolean automatic, PreparedRelease release) {
    this(project, version, environment, requester, automatic, release, null);
  }
}
