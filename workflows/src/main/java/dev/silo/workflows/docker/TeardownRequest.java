package dev.silo.workflows.docker;

/**
 * @param project the Compose project to remove
 * @param removeVolumes whether the project's named volumes go too
 */
public record TeardownRequest(String project, boolean removeVolumes) {}
