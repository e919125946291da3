package dev.silo.activities.config;

import java.util.List;

/**
 * The problems of one file, appended to the list shared by the whole silo directory, so that each
 * reader only states the line and the message.
 */
public final class FileProblems {

  private final String file;
  private final List<ConfigProblem> all;

  /**
   * @param file the file named in every problem
   * @param all the list the problems are appended to
   */
  public FileProblems(String file, List<ConfigProblem> all) {
    this.file = file;
    this.all = all;
  }

  /** The file named in every problem. */
  public String file() {
    return file;
  }

  /** Adds a problem at a 1-based line, or without a line when {@code line} is null. */
  public void add(Integer line, String message) {
    all.add(new ConfigProblem(file, line, message));
  }

  /** Adds a problem of the whole file. */
  public void add(String message) {
    add(null, message);
  }
}
