package dev.silo.activities.release;

import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlNode;
import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.workflows.database.EnvironmentDatabase;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.ReleaseDurations;
import dev.silo.workflows.release.WatchWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads one environment file, {@code {environment}.yml}. */
final class EnvironmentFileReader {

  private static final List<String> KEYS =
      List.of(
          "environment",
          "supabase_project",
          "odoo_url",
          "auto_deploy",
          "require_approval",
          "approvers",
          "min_approvals",
          "approval_timeout",
          "allow_unsigned_decisions",
          "database",
          "base_url",
          "metrics_url",
          "watch_window",
          "watch_interval",
          "error_rate_query",
          "p99_query");
  private static final List<String> DATABASE_KEYS =
      List.of("host", "port", "name", "user", "password_env");

  private EnvironmentFileReader() {}

  /** Reads the file of {@code environment}; empty when the file cannot be read at all. */
  static Optional<EnvironmentDefinition> read(
      String environment, Path file, FileProblems problems) {
    Optional<List<YamlNode>> documents = DefinitionFile.read(file, problems);
    if (documents.isEmpty()) {
      return Optional.empty();
    }
    if (documents.get().size() > 1) {
      problems.add(documents.get().get(1).line(), "file holds more than one YAML document");
    }
    return DefinitionMapping.of(documents.get().get(0), "environment " + environment, problems)
        .map(mapping -> definition(environment, mapping));
  }

  private static EnvironmentDefinition definition(String environment, DefinitionMapping file) {
    FileProblems problems = file.problems();
    file.rejectUnknownKeys(KEYS);
    file.text("environment")
        .filter(written -> !written.equals(environment))
        .ifPresent(
            written ->
                problems.add(
                    file.valueLine("environment"),
                    "environment is '"
                        + written
                        + "' but the file is the one of '"
                        + environment
                        + "'"));
    ApprovalRules approval = ApprovalRules.read(file);
    return new EnvironmentDefinition(
        environment,
        file.bool("auto_deploy", false),
        approval.requireApproval(),
        approval.approvers(),
        approval.minApprovals(),
        approval.approvalTimeout(),
        database(file),
        file.text("base_url").orElse(null),
        file.text("metrics_url").orElse(null),
        watch(file, environment),
        file.text("supabase_project").orElse(null),
        file.text("odoo_url").orElse(null),
        approval.allowUnsignedDecisions());
  }

  /** The watch window, each key absent taken from {@link WatchWindow#DEFAULT}. */
  private static WatchWindow watch(DefinitionMapping file, String environment) {
    // A zero window only skips the watch, but a zero interval would read the metrics in a loop.
    Optional<Duration> window = file.duration("watch_window", ReleaseDurations.WATCH_WINDOW);
    Optional<Duration> every = file.duration("watch_interval", ReleaseDurations.WATCH_INTERVAL);
    Duration duration = window.orElse(WatchWindow.DEFAULT.duration());
    Duration interval = every.orElse(WatchWindow.DEFAULT.interval());
    if ((window.isPresent() || every.isPresent())
        && ReleaseDurations.readings(duration, interval) > ReleaseDurations.MAX_WATCH_READINGS) {
      file.problems()
          .add(
              file.valueLine(window.isPresent() ? "watch_window" : "watch_interval"),
              ReleaseDurations.readingsProblem(environment, duration, interval));
    }
    return new WatchWindow(
        duration,
        interval,
        file.text("error_rate_query").orElse(WatchWindow.DEFAULT.errorRateQuery()),
        file.text("p99_query").orElse(WatchWindow.DEFAULT.p99Query()));
  }

  /**
   * The database, or null when the file names none: an environment deployed by command steps
   * alone (as the runbook's are, through the Supabase CLI) needs none, and the deployment's
   * pre-flight states what the built-in database steps cannot do without it.
   */
  private static EnvironmentDatabase database(DefinitionMapping file) {
    Optional<Entry> entry = file.entry("database");
    if (entry.isEmpty()) {
      return null;
    }
    return DefinitionMapping.of(entry.get().value(), "database", file.problems())
        .map(
            database -> {
              database
                  .entry("password")
                  .ifPresent(
                      password ->
                          file.problems()
                              .add(
                                  password.keyLine(),
                                  "a password must not be written in an environment file; name"
                                      + " the environment variable holding it with"
                                      + " password_env"));
              for (Entry key : database.entries()) {
                if (!key.key().equals("password") && !DATABASE_KEYS.contains(key.key())) {
                  file.problems()
                      .add(
                          key.keyLine(),
                          "unknown key '"
                              + key.key()
                              + "' in database; the keys are "
                              + String.join(", ", DATABASE_KEYS));
                }
              }
              return new EnvironmentDatabase(
                  database.requiredText("host").orElse(null),
                  database.integer("port", 1, 65535).orElse(5432),
                  database.requiredText("name").orElse(null),
                  database.requiredText("user").orElse(null),
                  database.requiredText("password_env").orElse(null));
            })
        .orElse(null);
  }
}
