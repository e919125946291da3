package dev.silo.workflows.database;

import dev.silo.workflows.config.MigrationFile;
import java.util.List;

/**
 * @param target the database
 * @param migrations the local migration files, sorted by version
 * @param includeAll apply local versions older than the newest applied one too ({@code
 *     supabase db push --include-all})
 * @param configDirectory the silo's config directory ({@code {client}-{app}}) under the worker's
 *     config roots, from which the activity reads each migration that carries no {@code sql} and
 *     checks its hash; null in requests recorded before, whose migrations all carry their content
 */
public record ApplyMigrationsRequest(DatabaseTarget target, List<MigrationFile> migrations, boolean includeAll,
    String configDirectory) {

  /** A request whose migrations all carry their content. */
  public ApplyMigrationsRequest(DatabaseTarget target, List<MigrationFile> migrations, boolean includeAll) {
    this(target, migrations, includeAll, null);
  }
}
