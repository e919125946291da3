package dev.silo.activities.config;

import java.util.Locale;

/**
 * The size limits of a silo's config directory, checked before the plan is shown. The config step's
 * result travels through the workflow's history, whose payloads must stay small (gRPC refuses a
 * message over 4 MB); migrations cross it only as hashes and sizes, the other files as the values
 * read from them, so they are bounded tighter. The README's table lists the same values.
 */
public final class ConfigLimits {

  /** The largest migration file. */
  public static final long MIGRATION_FILE_BYTES = 16L * 1024 * 1024;

  /** The largest sum of all migration files. */
  public static final long MIGRATIONS_TOTAL_BYTES = 64L * 1024 * 1024;

  /** The largest other config file: the Compose file, an env file, a Fly TOML, netlify.env.silo, silo.yml. */
  public static final long CONFIG_FILE_BYTES = 32L * 1024;

  /** The largest sum of the other config files. */
  public static final long CONFIG_FILES_TOTAL_BYTES = 96L * 1024;

  private ConfigLimits() {}

  /** A size as people read it: {@code 50.0 MiB (52428800 bytes)}. */
  public static String describe(long bytes) {
    String unit;
    double value;
    if (bytes >= 1024L * 1024) {
      value = bytes / (1024.0 * 1024);
      unit = "MiB";
    } else if (bytes >= 1024) {
      value = bytes / 1024.0;
      unit = "KiB";
    } else {
      return bytes + " bytes";
    }
    return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, unit, bytes);
  }

  /** A limit as people read it: {@code 16 MiB}. */
  public static String limit(long bytes) {
    return bytes >= 1024L * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
  }
}
