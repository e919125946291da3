package dev.silo.workflows.database;

import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.release.EnvironmentDatabase;
import java.util.List;

/**
 * @param database the environment's database
 * @param migrations the version's migration files, sorted by version
 */
public record EnvironmentMigrateRequest(EnvironmentDatabase database, List<MigrationFile> migrations) {}
