package dev.silo.activities.config;

import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Mapping;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.workflows.silo.DockerTaskQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the optional {@code silo.yml}: the silo's own deployment settings, which no vendor's file
 * holds: {@code docker_task_queue}, the task queue of the worker beside the container engine that
 * hosts the silo, and {@code allow_unsigned_decisions}, whether the silo admits unsigned decisions
 * when the worker has an allowed-signers file. A key it does not know is an error, never ignored, so that
 * a misspelt key cannot silently send the containers to the default engine.
 */
final class SiloFileReader {

  static final String FILE = "silo.yml";

  static final String DOCKER_TASK_QUEUE = "docker_task_queue";

  static final String ALLOW_UNSIGNED_DECISIONS = "allow_unsigned_decisions";

  private static final List<String> KEYS = List.of(DOCKER_TASK_QUEUE, ALLOW_UNSIGNED_DECISIONS);

  /** What the file says; {@link #NONE} without a file. */
  record Settings(String dockerTaskQueue, boolean allowUnsignedDecisions) {
    static final Settings NONE = new Settings(null, false);
  }

  private final SiloDirectory silo;
  private final List<ConfigProblem> problems;

  SiloFileReader(SiloDirectory silo, List<ConfigProblem> problems) {
    this.silo = silo;
    this.problems = problems;
  }

  /**
   * Returns the settings the file holds: no Docker task queue when there is no file, it names no
   * queue, or it has problems (which are reported); unsigned decisions refused unless it says
   * {@code allow_unsigned_decisions: true}.
   */
  Settings read() {
    Path file = silo.path().resolve(FILE);
    if (!Files.exists(file)) {
      return Settings.NONE;
    }
    FileProblems fileProblems = new FileProblems(FILE, problems);
    if (!Files.isRegularFile(file)) {
      fileProblems.add("must be a file");
      return Settings.NONE;
    }
    Optional<YamlNode> root =
        silo.readText(file, fileProblems)
            .flatMap(text -> YamlDocumentReader.read(text, fileProblems));
    if (root.isEmpty()) {
      return Settings.NONE;
    }
    if (!(root.get() instanceof Mapping settings)) {
      fileProblems.add(root.get().line(), "the top level must be a mapping of settings");
      return Settings.NONE;
    }
    settings.entries().values().stream()
        .filter(entry -> !KEYS.contains(entry.key()))
        .forEach(
            entry ->
                fileProblems.add(
                    entry.keyLine(),
                    "unknown key '"
                        + entry.key()
                        + "' (supported: "
                        + String.join(", ", KEYS)
                        + ")"));
    Entry queue = settings.entries().get(DOCKER_TASK_QUEUE);
    Entry unsigned = settings.entries().get(ALLOW_UNSIGNED_DECISIONS);
    return new Settings(queue == null ? null : queueName(queue, fileProblems),
        unsigned != null && flag(unsigned, fileProblems));
  }

  private static boolean flag(Entry entry, FileProblems fileProblems) {
    if (entry.value() instanceof Scalar scalar && ("true".equals(scalar.text()) || "false".equals(scalar.text()))) {
      return "true".equals(scalar.text());
    }
    fileProblems.add(entry.keyLine(), entry.key() + " must be true or false");
    return false;
  }

  private static String queueName(Entry queue, FileProblems fileProblems) {
    if (!(queue.value() instanceof Scalar scalar)) {
      fileProblems.add(
          queue.keyLine(),
          DOCKER_TASK_QUEUE + " must be a task queue name, not " + YamlNode.kind(queue.value()));
      return null;
    }
    String problem = DockerTaskQueue.problem(scalar.text());
    if (problem != null) {
      String shown = scalar.text() == null ? "" : " '" + scalar.text() + "'";
      fileProblems.add(queue.keyLine(), DOCKER_TASK_QUEUE + shown + " " + problem);
      return null;
    }
    return scalar.text();
  }
}
