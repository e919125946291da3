package dev.silo.workflows.database;

/**
 * A backup file in pg_dump's custom format, which {@code pg_restore} loads (and turns into SQL for
 * {@code psql} with {@code pg_restore -f -}).
 *
 * @param path the file's absolute path on the worker
 * @param sizeBytes the file's size
 * @param sha256 the file's SHA-256, lowercase hex
 * @param serverVersion the dumped server's {@code server_version}, or null when it was not read
 */
public record DatabaseBackup(String path, long sizeBytes, String sha256, String serverVersion) {}
