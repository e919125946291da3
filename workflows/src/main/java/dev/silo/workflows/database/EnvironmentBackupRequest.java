package dev.silo.workflows.database;


/**
 * @param database the environment's database
 * @param label the backup's name, letters, digits, {@code .}, {@code _} and {@code -}
 */
public record EnvironmentBackupRequest(EnvironmentDatabase database, String label) {}
