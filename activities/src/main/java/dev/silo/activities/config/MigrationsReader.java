package dev.silo.activities.config;

import dev.silo.workflows.config.MigrationFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the optional {@code supabase/migrations/}, whose file names are the Supabase CLI's: a
 * 14-digit UTC timestamp, an underscore, a name and {@code .sql}. The timestamp is the version the
 * CLI records, so two files with one version would make one of them never run.
 *
 * <p>Each file is hashed, not kept: the config carries its SHA-256 and size, and the activity that
 * applies it reads it again and checks the hash ({@link SiloMigrationFiles}).
 */
final class MigrationsReader {

  static final String DIRECTORY = "supabase/migrations";


  private final SiloDirectory silo;
  private final List<ConfigProblem> problems;

  MigrationsReader(SiloDirectory silo, List<ConfigProblem> problems) {
    this.silo = silo;
    this.problems = problems;
  }

  /** Reads the migrations sorted by version; empty when the directory does not exist. */
  List<MigrationFile> read() {
    Path directory = silo.path().resolve(DIRECTORY);
    FileProblems directoryProblems = new FileProblems(DIRECTORY + "/", problems);
    if (!Files.exists(directory)) {
      return List.of();
    }
    if (!Files.isDirectory(directory)) {
      directoryProblems.add("must be a directory");
      return List.of();
    }
    if (!silo.contains(directory)) {
      directoryProblems.add(SiloDirectory.ESCAPES);
      return List.of();
    }
    List<MigrationFile> migrations = new ArrayList<>();
    MigrationNames names = new MigrationNames();
    for (Path file : list(directory)) {
      FileProblems fileProblems = new FileProblems(silo.relative(file), problems);
      String fileName = file.getFileName().toString();
      names.accept(fileName, Files.isRegularFile(file), fileProblems)
          .ifPresent(name -> silo.digest(file, ConfigLimits.MIGRATION_FILE_BYTES, "a migration file", fileProblems)
              .ifPresent(digest -> migrations.add(MigrationFile.byHash(
                  name.version(), name.name(), fileName, digest.sha256(), digest.size()))));
    }
    long total = migrations.stream().mapToLong(MigrationFile::size).sum();
    if (total > ConfigLimits.MIGRATIONS_TOTAL_BYTES) {
      directoryProblems.add("the migrations total " + ConfigLimits.describe(total) + ", over the "
          + ConfigLimits.limit(ConfigLimits.MIGRATIONS_TOTAL_BYTES) + " limit of all migrations together");
    }
    return migrations;
  }


  private static List<Path> list(Path directory) {
    // Versions have a fixed width, so file-name order is version order.
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
