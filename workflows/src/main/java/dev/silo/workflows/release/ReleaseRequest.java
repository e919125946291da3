package dev.silo.workflows.release;

import dev.silo.workflows.signing.StartSignature;

/**
 * @param project the project: lowercase letters, digits and {@code -}
 * @param version the Git ref to release: a tag, a branch or a commit ID
 * @param target the last environment to deploy to, one of {@link
 *     EnvironmentDefinition#PROMOTION_ORDER}
 * @param requester who asks; they never count as an approver of this release
 * @param automatic whether an automation (a push to main, a scheduler) asks rather than a person:
 *     only environments with {@code auto_deploy} are deployed, and a version marked bad is skipped
 *     without a failure
 * @param allowBadVersion whether a person deliberately deploys a version marked bad; recorded in
 *     the report. Without it, a version marked bad is refused before anything runs.
 * @param start the requester's signature over {@link #signedText()}; null when unsigned, which a
 *     worker with an allowed-signers file refuses. The requester of a signed start is the principal
 *     of its key, whatever {@code requester} says.
 */
public record ReleaseRequest(
    String project,
    String version,
    String target,
    String requester,
    boolean automatic,
    boolean allowBadVersion,
    StartSignature start) {

  /** An unsigned request. */
  public ReleaseRequest(String project, String version, String target, String requester, boolean automatic,
      boolean allowBadVersion) {
    this(project, version, target, requester, automatic, allowBadVersion, null);
  }

  /** The same request, signed. */
  public ReleaseRequest signed(StartSignature signature) {
    return new ReleaseRequest(project, version, target, requester, automatic, allowBadVersion, signature);
  }

  /**
   * The request's fields as the requester signs them ({@link
   * dev.silo.workflows.signing.DecisionText#start}), one per line, the signature left out.
   */
  public String signedText() {
    return "project=" + project + "\n"
        + "version=" + version + "\n"
        + "target=" + target + "\n"
        + "requester=" + requester + "\n"
        + "automatic=" + automatic + "\n"
        + "allow-bad-version=" + allowBadVersion + "\n";
  }
}
