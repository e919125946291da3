package dev.silo.workflows.database;

/**
 * A backup to take.
 *
 * @param target the database to dump
 * @param directory the directory on the worker that receives the file, created when missing
 * @param label the backup's name, letters, digits, {@code .}, {@code _} and {@code -}; the file is
 *     {@code <directory>/<label>.dump}, so the same label always names the same file
 */
public record BackupRequest(DatabaseTarget target, String directory, String label) {}
