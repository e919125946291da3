package dev.silo.workflows.docker;

/**
 * @param service the Compose service
 * @param containerName the container's name, {@code {project}-{service}-1}, or null when none was made
 * @param health where it ended up
 * @param message why it is not up, or null
 * @param createdByThisRun true when the workflow run that asked created the container (also when it
 *     replaced an outdated one), false when the container was already there, created by another run
 *     or by hand; null when unknown: the service was skipped, it failed before a container of its
 *     own was there (or its activity failed), or the result was recorded before results said so
 *     (histories keep the four-field JSON, which reads back with null here)
 */
public record ContainerResult(
    String service, String containerName, ContainerHealth health, String message, Boolean createdByThisRun) {}
