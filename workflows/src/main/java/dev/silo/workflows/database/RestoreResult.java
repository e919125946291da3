package dev.silo.workflows.database;

/**
 * A restore that completed.
 *
 * @param backupPath the file that was restored
 * @param sizeBytes its size
 * @param sha256 its SHA-256, lowercase hex, to compare with the {@link DatabaseBackup} it came from
 */
public record RestoreResult(String backupPath, long sizeBytes, String sha256) {}
