package dev.silo.workflows.config;

/**
 * One file of {@code supabase/migrations/}, named {@code <14-digit UTC timestamp>_<name>.sql}.
 *
 * @param version the 14-digit timestamp
 * @param name the part after the underscore, without {@code .sql}
 * @param fileName the file's name
 * @param sql the file's content
 */
public record MigrationFile(String version, String name, String fileName, String sql) {}
