package dev.silo.activities.release;

import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlNode;
import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Mapping;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.activities.config.YamlNode.Sequence;
import dev.silo.workflows.release.PipelineStep;
import dev.silo.workflows.release.ReleaseDurations;
import dev.silo.workflows.release.StepKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the steps of a stage or of the rollback. */
final class PipelineStepReader {

  private static final List<String> COMMON_KEYS = List.of("name", "kind", "timeout", "blocking");
  private static final Map<StepKind, List<String>> KIND_KEYS =
      Map.of(
          StepKind.COMMAND, List.of("command"),
          StepKind.ENDPOINT, List.of("endpoint", "expected"),
          StepKind.BACKUP, List.of(),
          StepKind.RESTORE, List.of(),
          StepKind.MIGRATE, List.of("directory"),
          StepKind.SQL, List.of("file", "sql"),
          StepKind.RLS_TEST, List.of("role", "claims", "sql", "expect_visible", "expect_denied"),
          StepKind.NOTIFY, List.of("webhook_env", "message"),
          StepKind.INCIDENT, List.of("webhook_env", "message"));
  private static final List<String> ALL_KEYS =
      List.of(
          "name",
          "kind",
          "command",
          "endpoint",
          "expected",
          "timeout",
          "blocking",
          "file",
          "sql",
          "directory",
          "role",
          "claims",
          "expect_visible",
          "expect_denied",
          "webhook_env",
          "message");
  private static final String KIND_NAMES =
      String.join(", ", Arrays.stream(StepKind.values()).map(StepKind::yamlName).toList());

  private PipelineStepReader() {}

  /**
   * Reads a list of steps; a step with problems is reported and left out.
   *
   * @param where how messages name the list, such as {@code pre_flight}
   */
  static List<PipelineStep> steps(YamlNode node, String where, FileProblems problems) {
    if (node instanceof Scalar scalar && scalar.text() == null) {
      return List.of();
    }
    if (!(node instanceof Sequence sequence)) {
      problems.add(node.line(), where + " must be a list of steps, not " + YamlNode.kind(node));
      return List.of();
    }
    List<PipelineStep> steps = new ArrayList<>();
    for (YamlNode item : sequence.items()) {
      String what = "a step of " + where;
      if (item instanceof Mapping mapping
          && mapping.entries().get("name") != null
          && mapping.entries().get("name").value() instanceof Scalar name
          && name.text() != null) {
        what = "step '" + name.text().strip() + "' of " + where;
      }
      DefinitionMapping.of(item, what, problems)
          .flatMap(PipelineStepReader::step)
          .ifPresent(steps::add);
    }
    return steps;
  }

  private static Optional<PipelineStep> step(DefinitionMapping step) {
    FileProblems problems = step.problems();
    Optional<String> name = step.requiredText("name");
    Optional<StepKind> kind = kind(step);
    for (Entry entry : step.entries()) {
      if (!ALL_KEYS.contains(entry.key())) {
        problems.add(
            entry.keyLine(),
            "unknown key '"
                + entry.key()
                + "' in "
                + step.what()
                + "; a step's keys are "
                + String.join(", ", ALL_KEYS));
      } else if (kind.isPresent()
          && !COMMON_KEYS.contains(entry.key())
          && !KIND_KEYS.get(kind.get()).contains(entry.key())) {
        problems.add(
            entry.keyLine(),
            "key '"
                + entry.key()
                + "' does not apply to "
                + step.what()
                + ", a "
                + kind.get().yamlName()
                + " step"
                + keysOf(kind.get()));
      }
    }
    Duration timeout = step.duration("timeout", ReleaseDurations.STEP_TIMEOUT).orElse(null);
    boolean blocking = step.bool("blocking", false);
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    String command = null;
    String endpoint = null;
    Integer expected = null;
    String file = null;
    String sql = null;
    String directory = null;
    String role = null;
    Map<String, String> claims = Map.of();
    Integer visible = null;
    boolean denied = false;
    String webhookEnv = null;
    String message = null;
    switch (kind.get()) {
      case COMMAND -> command = step.requiredText("command").orElse(null);
      case ENDPOINT -> {
        endpoint = step.requiredText("endpoint").orElse(null);
        expected = step.integer("expected", 100, 599).orElse(200);
      }
      case BACKUP, RESTORE -> {
        // Both act on the environment's database and the deployment's backup only.
      }
      case MIGRATE -> directory = step.text("directory").orElse("migrations");
      case SQL -> {
        file = step.text("file").orElse(null);
        sql = step.text("sql").orElse(null);
        if ((file == null) == (sql == null)) {
          problems.add(step.line(), step.what() + " must have exactly one of file and sql");
        }
      }
      case RLS_TEST -> {
        role = step.requiredText("role").orElse(null);
        claims = claims(step);
        sql = step.requiredText("sql").orElse(null);
        visible = step.integer("expect_visible", 0, Integer.MAX_VALUE).orElse(null);
        denied = step.bool("expect_denied", false);
        if (step.has("expect_visible") == denied) {
          problems.add(
              step.line(),
              step.what()
                  + " must have exactly one of expect_visible (how many rows the role sees)"
                  + " and expect_denied: true");
        }
      }
      case NOTIFY, INCIDENT -> {
        webhookEnv = step.requiredText("webhook_env").orElse(null);
        message = step.text("message").orElse(null);
      }
    }
    return Optional.of(
        new PipelineStep(
            name.orElse(null),
            kind.get(),
            command,
            endpoint,
            expected,
            timeout,
            blocking,
            file,
            sql,
            directory,
            role,
            claims,
            visible,
            denied,
            webhookEnv,
            message));
  }

  private static Map<String, String> claims(DefinitionMapping step) {
    Map<String, String> claims = new LinkedHashMap<>();
    Optional<Entry> entry = step.entry("claims");
    if (entry.isEmpty()) {
      return claims;
    }
    DefinitionMapping.of(entry.get().value(), "claims of " + step.what(), step.problems())
        .ifPresent(
            mapping ->
                mapping
                    .entries()
                    .forEach(
                        claim ->
                            mapping.text(claim.key()).ifPresent(v -> claims.put(claim.key(), v))));
    return claims;
  }

  private static Optional<StepKind> kind(DefinitionMapping step) {
    Optional<Entry> kindEntry = step.entry("kind");
    if (kindEntry.isPresent()) {
      Optional<String> written = step.text("kind");
      if (written.isEmpty()) {
        if (kindEntry.get().value() instanceof Scalar) {
          step.problems().add(kindEntry.get().keyLine(), step.what() + " has an empty kind");
        }
        return Optional.empty();
      }
      Optional<StepKind> kind =
          Arrays.stream(StepKind.values())
              .filter(k -> k.yamlName().equals(written.get()))
              .findFirst();
      if (kind.isEmpty()) {
        step.problems()
            .add(
                kindEntry.get().value().line(),
                "unknown kind '"
                    + written.get()
                    + "' in "
                    + step.what()
                    + "; the kinds are "
                    + KIND_NAMES);
      }
      return kind;
    }
    boolean command = step.has("command");
    boolean endpoint = step.has("endpoint");
    if (command && endpoint) {
      step.problems()
          .add(step.line(), step.what() + " has both command and endpoint; a step does one thing");
      return Optional.empty();
    }
    if (command) {
      return Optional.of(StepKind.COMMAND);
    }
    if (endpoint) {
      return Optional.of(StepKind.ENDPOINT);
    }
    step.problems()
        .add(
            step.line(),
            step.what() + " has no command, endpoint or kind; the kinds are " + KIND_NAMES);
    return Optional.empty();
  }

  private static String keysOf(StepKind kind) {
    Set<String> keys = new LinkedHashSet<>(COMMON_KEYS);
    keys.addAll(KIND_KEYS.get(kind));
    return "; its keys are " + String.join(", ", keys);
  }
}
