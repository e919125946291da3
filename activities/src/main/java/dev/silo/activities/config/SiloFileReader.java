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
 * holds. Today that is one key, {@code docker_task_queue}, the task queue of the worker beside the
 * container engine that hosts the silo. A key it does not know is an error, never ignored, so that
 * a misspelt key cannot silently send the containers to the default engine.
 */
final class SiloFileReader {

  static final String FILE = "silo.yml";

  static final String DOCKER_TASK_QUEUE = "docker_task_queue";

  private static final List<String> KEYS = List.of(DOCKER_TASK_QUEUE);

  private final SiloDirectory silo;
  private final List<ConfigProblem> problems;

  SiloFileReader(SiloDirectory silo, List<ConfigProblem> problems) {
    this.silo = silo;
    this.problems = problems;
  }

  /**
   * Returns the Docker task queue the file names; null when there is no file, it names no queue,
   * or it has problems (which are reported).
   */
  String dockerTaskQueue() {
    Path file = silo.path().resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    FileProblems fileProblems = new FileProblems(FILE, problems);
    if (!Files.isRegularFile(file)) {
      fileProblems.add("must be a file");
      return null;
    }
    Optional<YamlNode> root =
        silo.readText(file, fileProblems)
            .flatMap(text -> YamlDocumentReader.read(text, fileProblems));
    if (root.isEmpty()) {
      return null;
    }
    if (!(root.get() instanceof Mapping settings)) {
      fileProblems.add(root.get().line(), "the top level must be a mapping of settings");
      return null;
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
    return queue == null ? null : queueName(queue, fileProblems);
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
