package dev.silo.activities.config;

/**
 * One thing wrong with a silo's config directory, worded for the person who fixes the file.
 *
 * @param file the file at fault, relative to the silo directory with {@code /} separators; the
 *     absolute path for a directory that does not exist
 * @param line the 1-based line in {@code file}, or null when the problem has no single line
 * @param message what is wrong
 */
public record ConfigProblem(String file, Integer line, String message) {

  /** Renders the problem as {@code file:line: message}, or {@code file: message} without a line. */
  public String render() {
    return line == null ? file + ": " + message : file + ":" + line + ": " + message;
  }
}
