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
    Optional<String> name = step.requiredText("name");
    Optional<StepKind> kind = kind(step);
    keyProblems(step, kind);
    Duration timeout = step.duration("timeout", ReleaseDurations.STEP_TIMEOUT).orElse(null);
    boolean blocking = step.bool("blocking", false);
    return kind.map(k -> step(step, k, name.orElse(null), timeout, blocking));
  }

  /** The step of its kind, with the keys that kind reads; a problem with them is reported. */
  private static PipelineStep step(
      DefinitionMapping step, StepKind kind, String name, Duration timeout, boolean blocking) {
    return switch (kind) {
      case COMMAND ->
          new PipelineStep.Command(
              name, timeout, blocking, step.requiredText("command").orElse(null));
      case ENDPOINT ->
          new PipelineStep.Endpoint(
              name,
              timeout,
              blocking,
              step.requiredText("endpoint").orElse(null),
              step.integer("expected", 100, 599).orElse(200));
      // Both act on the environment's database and the deployment's backup only.
      case BACKUP -> new PipelineStep.Backup(name, timeout, blocking);
      case RESTORE -> new PipelineStep.Restore(name, timeout, blocking);
      case MIGRATE ->
          new PipelineStep.Migrate(
              name, timeout, blocking, step.text("directory").orElse("migrations"));
      case SQL -> sql(step, name, timeout, blocking);
      case RLS_TEST -> rlsTest(step, name, timeout, blocking);
      case NOTIFY ->
          new PipelineStep.Notify(
              name,
              timeout,
              blocking,
              step.requiredText("webhook_env").orElse(null),
              step.text("message").orElse(null));
      case INCIDENT ->
          new PipelineStep.Incident(
              name,
              timeout,
              blocking,
              step.requiredText("webhook_env").orElse(null),
              step.text("message").orElse(null));
    };
  }

  private static PipelineStep.Sql sql(
      DefinitionMapping step, String name, Duration timeout, boolean blocking) {
    String file = step.text("file").orElse(null);
    String sql = step.text("sql").orElse(null);
    if ((file == null) == (sql == null)) {
      step.problems().add(step.line(), step.what() + " must have exactly one of file and sql");
    }
    return new PipelineStep.Sql(name, timeout, blocking, file, sql);
  }

  private static PipelineStep.RlsTest rlsTest(
      DefinitionMapping step, String name, Duration timeout, boolean blocking) {
    String role = step.requiredText("role").orElse(null);
    Map<String, String> claims = claims(step);
    String sql = step.requiredText("sql").orElse(null);
    Integer visible = step.integer("expect_visible", 0, Integer.MAX_VALUE).orElse(null);
    boolean denied = step.bool("expect_denied", false);
    if (step.has("expect_visible") == denied) {
      step.problems()
          .add(
              step.line(),
              step.what()
                  + " must have exactly one of expect_visible (how many rows the role sees)"
                  + " and expect_denied: true");
    }
    return new PipelineStep.RlsTest(name, timeout, blocking, role, claims, sql, visible, denied);
  }

  /** Reports every key no step has, and every key the step's kind does not read. */
  private static void keyProblems(DefinitionMapping step, Optional<StepKind> kind) {
    for (Entry entry : step.entries()) {
      if (!ALL_KEYS.contains(entry.key())) {
        step.problems()
            .add(
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
        step.problems()
            .add(
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
