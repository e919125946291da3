package dev.silo.workflows.database;

import dev.silo.workflows.config.MigrationFile;
import java.util.List;

/**
 * @param database the environment's database
 * @param migrations the version's migration files, sorted by version; a file that carries no
 *     {@code sql} is read by the activity from {@code directory} at {@code commit} and checked
 *     against its hash
 * @param project the project, whose repository the worker knows; null in requests recorded before,
 *     whose migrations all carry their content
 * @param commit the full commit ID the release resolved to; null as {@code project}
 * @param directory the {@code migrate} step's directory as written in the step, relative to the
 *     repository's root; null as {@code project}
 */
public record EnvironmentMigrateRequest(EnvironmentDatabase database, List<MigrationFile> migrations,
    String project, String commit, String directory) {

  /** A request whose migrations all carry their content. */
  public EnvironmentMigrateRequest(EnvironmentDatabase database, List<MigrationFile> migrations) {
    this(database, migrations, null, null, null);
  }
}
