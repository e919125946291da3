package dev.silo.activities.config;

import java.util.List;

/**
 * A silo config directory that cannot be loaded, with every problem found in it. Every file is
 * named relative to the config root ({@code acme-crm/fly/pg.toml:3: …}), never by the worker's
 * absolute path.
 */
public final class SiloConfigException extends Exception {

  private final String directory;
  private final List<ConfigProblem> problems;

  /**
   * @param directory the silo directory's name under the config root, {@code {client}-{app}}
   * @param problems every problem found, in the order found; at least one
   */
  public SiloConfigException(String directory, List<ConfigProblem> problems) {
    super(message(directory, problems));
    this.directory = directory;
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order found, each file relative to the silo directory. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /**
   * Every problem rendered as {@code directory/file:line: message}, relative to the config root, in
   * the order found.
   */
  public List<String> renderedProblems() {
    return problems.stream().map(problem -> problem.render(directory)).toList();
  }

  private static String message(String directory, List<ConfigProblem> problems) {
    StringBuilder message =
        new StringBuilder("silo config ")
            .append(directory)
            .append("/ has ")
            .append(problems.size())
            .append(" problem(s):");
    for (ConfigProblem problem : problems) {
      message.append("\n  - ").append(problem.render(directory));
    }
    return message.toString();
  }
}
