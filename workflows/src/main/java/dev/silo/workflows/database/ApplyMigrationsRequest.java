package dev.silo.workflows.database;

import dev.silo.workflows.config.MigrationFile;
import java.util.List;

/**
 * @param target the database
 * @param migrations the local migration files, sorted by version
 * @param includeAll apply local versions older than the newest applied one too ({@code
 *     supabase db push --include-all})
 */
public record ApplyMigrationsRequest(DatabaseTarget target, List<MigrationFile> migrations, boolean includeAll) {}
