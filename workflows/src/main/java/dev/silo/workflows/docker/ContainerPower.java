package dev.silo.workflows.docker;

/**
 * What stopping or starting did to one container of a Compose project.
 *
 * @param container the container's name
 * @param service its Compose service ({@code com.docker.compose.service})
 * @param before the engine's state before the call ({@code running}, {@code exited}, ...)
 * @param after the engine's state after the call
 * @param changed whether this call stopped or started it; false when it already was as asked
 * @param problem why it is not as asked, or null when it is
 */
public record ContainerPower(String container, String service, String before, String after, boolean changed,
    String problem) {}
