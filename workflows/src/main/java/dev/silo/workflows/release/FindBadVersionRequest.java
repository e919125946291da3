package dev.silo.workflows.release;

/**
 * @param project the project
 * @param version the version to look up
 */
public record FindBadVersionRequest(String project, String version) {}
