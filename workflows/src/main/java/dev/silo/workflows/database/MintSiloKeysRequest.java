package dev.silo.workflows.database;

import java.time.Duration;

/**
 * @param siloId the silo whose stored JWT secret signs the keys
 * @param validity how long the keys are valid
 */
public record MintSiloKeysRequest(String siloId, Duration validity) {}
