package dev.silo.workflows.database;


/**
 * @param database the environment's database
 * @param backupPath the file a {@link ReleaseDatabaseActivities#backup} returned
 */
public record EnvironmentRestoreRequest(EnvironmentDatabase database, String backupPath) {}
