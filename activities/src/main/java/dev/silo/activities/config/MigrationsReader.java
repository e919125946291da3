package dev.silo.activities.config;

import dev.silo.workflows.config.MigrationFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the optional {@code supabase/migrations/}, whose file names are the Supabase CLI's: a
 * 14-digit UTC timestamp, an underscore, a name and {@code .sql}. The timestamp is the version the
 * CLI records, so two files with one version would make one of them never run.
 */
final class MigrationsReader {

  static final String DIRECTORY = "supabase/migrations";

  private static final Pattern FILE_NAME = Pattern.compile("(\\d{14})_([A-Za-z0-9_-]+)\\.sql");
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

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
    Map<String, String> fileByVersion = new HashMap<>();
    for (Path file : list(directory)) {
      FileProblems fileProblems = new FileProblems(silo.relative(file), problems);
      String fileName = file.getFileName().toString();
      Matcher name = FILE_NAME.matcher(fileName);
      if (!Files.isRegularFile(file) || !name.matches()) {
        fileProblems.add(
            "not a migration file: names are <14-digit UTC timestamp>_<name>.sql, such as"
                + " 20250115090000_create_contacts.sql, with a name of letters, digits, '_' and"
                + " '-'");
        continue;
      }
      String version = name.group(1);
      if (!isTimestamp(version)) {
        fileProblems.add(version + " is not a UTC timestamp of the form yyyyMMddHHmmss");
        continue;
      }
      String sameVersion = fileByVersion.putIfAbsent(version, fileName);
      if (sameVersion != null) {
        fileProblems.add("version " + version + " is also used by " + sameVersion);
        continue;
      }
      silo.readText(file, fileProblems)
          .ifPresent(
              sql -> migrations.add(new MigrationFile(version, name.group(2), fileName, sql)));
    }
    return migrations;
  }

  private static boolean isTimestamp(String version) {
    try {
      LocalDateTime.parse(version, VERSION);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
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
