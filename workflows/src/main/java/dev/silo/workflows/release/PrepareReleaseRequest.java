package dev.silo.workflows.release;

/**
 * @param project the project: lowercase letters, digits and {@code -}
 * @param version the Git ref to release: a tag, a branch or a commit ID
 */
public record PrepareReleaseRequest(String project, String version) {}
