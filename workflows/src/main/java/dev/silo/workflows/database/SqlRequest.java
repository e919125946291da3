package dev.silo.workflows.database;


/**
 * @param database the environment's database
 * @param source where the SQL comes from, for messages: a file's path or {@code inline}
 * @param sql one or more statements; null when the activity reads them from {@code file}
 * @param project the project, whose repository the worker knows; null unless {@code file} is given
 * @param commit the full commit ID the release resolved to; null unless {@code file} is given
 * @param file the file to read from the commit, with the hash and size it was prepared with; null
 *     when {@code sql} is given, as in every request recorded before
 */
public record SqlRequest(EnvironmentDatabase database, String source, String sql, String project, String commit,
    ReleaseFile file) {

  /** A request that carries its statements. */
  public SqlRequest(EnvironmentDatabase database, String source, String sql) {
    this(database, source, sql, null, null, null);
  }
}
