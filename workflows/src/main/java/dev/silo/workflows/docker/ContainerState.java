package dev.silo.workflows.docker;

/**
 * One container of a Compose project as the engine reports it now.
 *
 * @param service its Compose service
 * @param containerName its name
 * @param running whether it runs (and is not restarting)
 * @param state the engine's state ({@code running}, {@code exited}…)
 * @param engineHealth the engine's health status ({@code healthy}, {@code unhealthy}, {@code
 *     starting}), or null when the container has no healthcheck of the engine's own
 */
public record ContainerState(String service, String containerName, boolean running, String state, String engineHealth) {}
