package dev.silo.workflows.docker;

/** @param project the Compose project name, {@code silo-{client}-{app}} */
public record EnsureNetworkRequest(String project) {}
