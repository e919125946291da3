package dev.silo.activities.release;

import dev.silo.activities.config.ConfigLimits;

/**
 * The size limits of the files a release's steps read, checked when the release is prepared, before
 * any approval. No file's content crosses the history (the database activities read the files from
 * the commit), so the limits are those of a silo's migrations: what one activity reads into memory
 * and sends to the database. The README's table lists the same values.
 */
final class ReleaseLimits {

  /** The largest migration file of a {@code migrate} step. */
  static final long MIGRATION_FILE_BYTES = ConfigLimits.MIGRATION_FILE_BYTES;

  /** The largest sum of the migration files of every {@code migrate} step. */
  static final long MIGRATIONS_TOTAL_BYTES = ConfigLimits.MIGRATIONS_TOTAL_BYTES;

  /** The largest file of a {@code sql} step. */
  static final long SQL_FILE_BYTES = 16L * 1024 * 1024;

  /** The largest sum of the files of every {@code sql} step. */
  static final long SQL_FILES_TOTAL_BYTES = 64L * 1024 * 1024;

  private ReleaseLimits() {}

  /** The problem of a file over its limit: {@code file is 50.0 MiB (52428800 bytes), over the 16 MiB limit of a migration file}. */
  static String overLimit(long size, long limit, String kind) {
    return "file is " + ConfigLimits.describe(size) + ", over the " + ConfigLimits.limit(limit) + " limit of " + kind;
  }
}
