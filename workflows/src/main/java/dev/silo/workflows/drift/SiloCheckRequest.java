package dev.silo.workflows.drift;

/**
 * @param client the silo's client
 * @param app the silo's app
 */
public record SiloCheckRequest(String client, String app) {}
