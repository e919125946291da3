package dev.silo.workflows.release;

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
 */
public record ReleaseRequest(
    String project,
    String version,
    String target,
    String requester,
    boolean automatic,
    boolean allowBadVersion) {}
