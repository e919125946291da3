package dev.silo.activities.config;

/**
 * One thing wrong with a silo's config directory, worded for the person who fixes the file.
 *
 * @param file the file at fault, relative to the silo directory (or, for a release, the repository)
 *     with {@code /} separators; empty for the silo directory itself
 * @param line the 1-based line in {@code file}, or null when the problem has no single line
 * @param message what is wrong
 */
public record ConfigProblem(String file, Integer line, String message) {

  /** Renders the problem as {@code file:line: message}, or {@code file: message} without a line. */
  public String render() {
    return line == null ? file + ": " + message : file + ":" + line + ": " + message;
  }

  /**
   * Renders the problem with its file under {@code directory}, as {@code directory/file:line:
   * message}; a problem of the whole directory (an empty {@code file}) as {@code directory/:
   * message}.
   */
  public String render(String directory) {
    return new ConfigProblem(directory + "/" + file, line, message).render();
  }
}
