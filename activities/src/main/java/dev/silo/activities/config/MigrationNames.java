package dev.silo.activities.config;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Supabase CLI's rules for the files of one migrations directory: {@code <14-digit UTC
 * timestamp>_<name>.sql}, the timestamp a real one, no version twice. A silo's config and a
 * release's commit both read migrations by them.
 */
public final class MigrationNames {

  /** A migration file's version (the timestamp the history records) and name. */
  public record Name(String version, String name) {}

  private static final Pattern FILE_NAME = Pattern.compile("(\\d{14})_([A-Za-z0-9_-]+)\\.sql");
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

  private final Map<String, String> fileByVersion = new HashMap<>();

  /**
   * The file's version and name, or empty after adding to {@code problems} why it is not a
   * migration of this directory.
   */
  public Optional<Name> accept(String fileName, boolean regularFile, FileProblems problems) {
    Matcher name = FILE_NAME.matcher(fileName);
    if (!regularFile || !name.matches()) {
      problems.add(
          "not a migration file: names are <14-digit UTC timestamp>_<name>.sql, such as"
              + " 20250115090000_create_contacts.sql, with a name of letters, digits, '_' and '-'");
      return Optional.empty();
    }
    String version = name.group(1);
    if (!isTimestamp(version)) {
      problems.add(version + " is not a UTC timestamp of the form yyyyMMddHHmmss");
      return Optional.empty();
    }
    String sameVersion = fileByVersion.putIfAbsent(version, fileName);
    if (sameVersion != null) {
      problems.add("version " + version + " is also used by " + sameVersion);
      return Optional.empty();
    }
    return Optional.of(new Name(version, name.group(2)));
  }

  private static boolean isTimestamp(String version) {
    try {
      LocalDateTime.parse(version, VERSION);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
