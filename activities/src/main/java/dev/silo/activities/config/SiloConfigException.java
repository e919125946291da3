package dev.silo.activities.config;

import java.nio.file.Path;
import java.util.List;

/** A silo config directory that cannot be loaded, with every problem found in it. */
public final class SiloConfigException extends Exception {

  private final List<ConfigProblem> problems;

  /**
   * @param directory the silo directory that was read
   * @param problems every problem found, in the order found; at least one
   */
  public SiloConfigException(Path directory, List<ConfigProblem> problems) {
    super(message(directory, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order found. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** Every problem rendered as {@code file:line: message}, in the order found. */
  public List<String> renderedProblems() {
    return problems.stream().map(ConfigProblem::render).toList();
  }

  private static String message(Path directory, List<ConfigProblem> problems) {
    StringBuilder message =
        new StringBuilder("silo config ")
            .append(directory)
            .append(" has ")
            .append(problems.size())
            .append(" problem(s):");
    for (ConfigProblem problem : problems) {
      message.append("\n  - ").append(problem.render());
    }
    return message.toString();
  }
}
