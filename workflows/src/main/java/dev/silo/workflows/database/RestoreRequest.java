package dev.silo.workflows.database;

/**
 * A restore to run.
 *
 * @param target the database to restore into
 * @param backupPath the backup file on the worker, as {@link DatabaseBackup#path()} names it
 */
public record RestoreRequest(DatabaseTarget target, String backupPath) {}
