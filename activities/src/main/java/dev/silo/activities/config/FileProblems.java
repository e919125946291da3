package dev.silo.activities.config;

import java.util.List;

/**
 * The problems of one file, appended to the list shared by the whole silo directory, so that each
 * reader only states the line and the message.
 */
final class FileProblems {

  private final String file;
  private final List<ConfigProblem> all;

  FileProblems(String file, List<ConfigProblem> all) {
    this.file = file;
    this.all = all;
  }

  String file() {
    return file;
  }

  void add(Integer line, String message) {
    all.add(new ConfigProblem(file, line, message));
  }

  void add(String message) {
    add(null, message);
  }
}
