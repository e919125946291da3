package dev.silo.workflows.config;

/**
 * Which silo config to load.
 *
 * @param configRoot the directory holding {@code {client}-{app}/} on the worker's file system;
 *     null or blank means the worker's {@code SILO_CONFIG_ROOT}
 * @param client the client name
 * @param app the app name
 */
public record LoadSiloConfigRequest(String configRoot, String client, String app) {}
