package dev.silo.workflows.database;

/**
 * Says that a silo's secrets are in the worker's secret store, without holding them.
 *
 * @param siloId the silo
 * @param fingerprint a short SHA-256 fingerprint of the stored secrets: it changes when they do,
 *     and tells nothing about them
 */
public record SecretsReady(String siloId, String fingerprint) {}
