package dev.silo.workflows.database;

import dev.silo.workflows.release.EnvironmentDatabase;

/**
 * @param database the environment's database
 * @param label the backup's name, letters, digits, {@code .}, {@code _} and {@code -}
 */
public record EnvironmentBackupRequest(EnvironmentDatabase database, String label) {}
