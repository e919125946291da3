package dev.silo.workflows.docker;

/**
 * @param name the network's name, {@code {project}_default}
 * @param id the engine's network ID
 * @param created whether this call created it
 */
public record ComposeNetwork(String name, String id, boolean created) {}
