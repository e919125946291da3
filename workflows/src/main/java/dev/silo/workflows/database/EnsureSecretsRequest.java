package dev.silo.workflows.database;

/** @param siloId the silo, {@code {client}-{app}} */
public record EnsureSecretsRequest(String siloId) {}
