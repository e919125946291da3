package dev.silo.activities.config;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a silo's migration files where they are applied: the config step handed the workflow only
 * each file's hash and size, so the migration activity reads the file from the silo's config
 * directory under the worker's own config roots and checks that it is still the file the plan
 * showed.
 */
public final class SiloMigrationFiles {

  private final ConfigRoots roots;

  /** @param roots the worker's config roots; null when it has none to read from */
  public SiloMigrationFiles(ConfigRoots roots) {
    this.roots = roots;
  }

  /** Reads from no directory: only migrations that carry their content can be applied. */
  public static SiloMigrationFiles none() {
    return new SiloMigrationFiles(null);
  }

  /**
   * The migrations with their content: those that carry it as they are, the others read from
   * {@code {configDirectory}/supabase/migrations/} and checked against their hash.
   *
   * @param configDirectory the silo's config directory under the config roots; may be null when
   *     every migration carries its content
   * @throws ApplicationFailure of type {@code INVALID_CONFIG}, not retryable, with one line naming
   *     the file relative to the config root when a file was removed or changed after the config
   *     was validated
   */
  public List<MigrationFile> withContent(String configDirectory, List<MigrationFile> migrations) {
    if (migrations.stream().allMatch(migration -> migration == null || migration.sql() != null)) {
      return migrations;
    }
    if (configDirectory == null || configDirectory.isBlank() || roots == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "migrations without their content need the silo's config directory under the worker's "
              + ConfigRoots.VARIABLE + ", and this request or worker names none",
          FailureType.INVALID_REQUEST.type());
    }
    SiloDirectory silo = SiloDirectory.open(roots.locate(configDirectory).resolve(configDirectory));
    List<MigrationFile> read = new ArrayList<>(migrations.size());
    for (MigrationFile migration : migrations) {
      read.add(migration == null || migration.sql() != null ? migration : read(silo, configDirectory, migration));
    }
    return read;
  }

  private static MigrationFile read(SiloDirectory silo, String configDirectory, MigrationFile migration) {
    String relative = MigrationsReader.DIRECTORY + "/" + migration.fileName();
    String shown = configDirectory + "/" + relative;
    Path directory = silo.path().resolve(MigrationsReader.DIRECTORY);
    Path file = silo.resolve(relative).filter(path -> directory.equals(path.getParent())).orElseThrow(() -> changed(shown + ": " + SiloDirectory.ESCAPES));
    if (!Files.isRegularFile(file) || !silo.contains(file)) {
      throw changed(shown + " was removed after the config was validated; deploy again to review the current files");
    }
    try {
      long size = Files.size(file);
      if (size > ConfigLimits.MIGRATION_FILE_BYTES) {
        throw changed(shown + " changed after the config was validated (it is now " + ConfigLimits.describe(size)
            + ", over the " + ConfigLimits.limit(ConfigLimits.MIGRATION_FILE_BYTES) + " limit of a migration file)");
      }
      byte[] bytes = Files.readAllBytes(file);
      String sha256 = FileDigest.sha256(bytes);
      if (!sha256.equals(migration.sha256())) {
        throw changed(shown + " changed after the config was validated (sha256 " + abbreviated(sha256)
            + ", validated " + abbreviated(migration.sha256()) + "); deploy again to review it");
      }
      return new MigrationFile(migration.version(), migration.name(), migration.fileName(),
          new String(bytes, StandardCharsets.UTF_8), migration.sha256(), migration.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String abbreviated(String sha256) {
    return sha256 == null ? "none" : sha256.substring(0, Math.min(12, sha256.length()));
  }

  private static ApplicationFailure changed(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_CONFIG.type());
  }
}
