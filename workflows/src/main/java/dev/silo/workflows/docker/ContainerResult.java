package dev.silo.workflows.docker;

/**
 * @param service the Compose service
 * @param containerName the container's name, {@code {project}-{service}-1}, or null when none was made
 * @param health where it ended up
 * @param message why it is not up, or null
 */
public record ContainerResult(String service, String containerName, ContainerHealth health, String message) {}
