package dev.silo.workflows.config;

/**
 * Which silo config to load. The worker reads only under its own config roots ({@code
 * SILO_CONFIG_ROOT}); the request names a silo, not a path.
 *
 * @param configRoot kept so that recorded histories still read: null (or blank) in new requests. A
 *     request that names one refuses unless it is one of the worker's own config roots.
 * @param client the client name
 * @param app the app name
 */
public record LoadSiloConfigRequest(String configRoot, String client, String app) {}
