package dev.silo.workflows.database;

import dev.silo.workflows.release.EnvironmentDatabase;

/**
 * @param database the environment's database
 * @param source where the SQL comes from, for messages: a file's path or {@code inline}
 * @param sql one or more statements
 */
public record SqlRequest(EnvironmentDatabase database, String source, String sql) {}
