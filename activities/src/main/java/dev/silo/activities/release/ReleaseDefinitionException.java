package dev.silo.activities.release;

import dev.silo.activities.config.ConfigProblem;
import java.util.List;

/** Release definition files that cannot be loaded, with every problem found in them. */
public final class ReleaseDefinitionException extends Exception {

  private final List<ConfigProblem> problems;

  /**
   * @param problems every problem found, in the order found; at least one
   */
  public ReleaseDefinitionException(List<ConfigProblem> problems) {
    super(message(problems));
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

  private static String message(List<ConfigProblem> problems) {
    StringBuilder message =
        new StringBuilder("release definition has ").append(problems.size()).append(" problem(s):");
    for (ConfigProblem problem : problems) {
      message.append("\n  - ").append(problem.render());
    }
    return message.toString();
  }
}
