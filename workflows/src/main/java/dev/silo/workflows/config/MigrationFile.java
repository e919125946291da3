package dev.silo.workflows.config;

/**
 * One file of {@code supabase/migrations/}, named {@code <14-digit UTC timestamp>_<name>.sql}.
 *
 * <p>A silo's config carries no migration's content through the history, only its hash and size:
 * the activity that applies the migrations reads each file from the silo's config directory on its
 * worker and checks that its SHA-256 is still the one validated. Histories recorded before carry
 * the content in {@code sql} and no hash; a release's migrations, read from a commit, still do.
 *
 * @param version the 14-digit timestamp
 * @param name the part after the underscore, without {@code .sql}
 * @param fileName the file's name
 * @param sql the file's content; null when the file is read where it is applied
 * @param sha256 the lowercase hex SHA-256 of the file's bytes; null when {@code sql} is given
 * @param size the file's size in bytes; 0 when unknown
 */
public record MigrationFile(String version, String name, String fileName, String sql, String sha256, long size) {

  /** A file whose content travels with it. */
  public MigrationFile(String version, String name, String fileName, String sql) {
    this(version, name, fileName, sql, null, 0);
  }

  /** A file known by its hash and size, read where it is applied. */
  public static MigrationFile byHash(String version, String name, String fileName, String sha256, long size) {
    return new MigrationFile(version, name, fileName, null, sha256, size);
  }
}
