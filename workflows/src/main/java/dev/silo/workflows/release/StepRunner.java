package dev.silo.workflows.release;

import dev.silo.workflows.command.CommandActivities;
import dev.silo.workflows.command.CommandResult;
import dev.silo.workflows.command.RunCommandRequest;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.DatabaseBackup;
import dev.silo.workflows.database.EnvironmentBackupRequest;
import dev.silo.workflows.database.EnvironmentDatabase;
import dev.silo.workflows.database.EnvironmentMigrateRequest;
import dev.silo.workflows.database.EnvironmentRestoreRequest;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.ReleaseDatabaseActivities;
import dev.silo.workflows.database.ReleaseFile;
import dev.silo.workflows.database.RestoreResult;
import dev.silo.workflows.database.RlsTestRequest;
import dev.silo.workflows.database.RlsTestResult;
import dev.silo.workflows.database.SqlRequest;
import dev.silo.workflows.database.SqlResult;
import dev.silo.workflows.health.EndpointCheckRequest;
import dev.silo.workflows.health.EndpointCheckResult;
import dev.silo.workflows.health.HealthActivities;
import dev.silo.workflows.notify.IncidentRequest;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.notify.WebhookDelivery;
import dev.silo.workflows.Failures;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one pipeline step with the activity of its kind and turns the outcome into a {@link
 * StepResult}. A step that fails is a result, never an exception, so the deployment decides what a
 * failure means in its stage; only a cancellation goes through.
 *
 * <p>It is one unit over 300 lines because every kind shares what the deployment exports to its
 * steps (variables, the backup, the rollback's reason), and each kind's call and result line are
 * short.
 */
final class StepRunner {

  /** Where an endpoint's failing attempts are repeated, during the health checks. */
  static final Duration HEALTH_RETRY_WINDOW = Duration.ofSeconds(60);

  private static final Duration HEALTH_RETRY_INTERVAL = Duration.ofSeconds(2);
  private static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration DEFAULT_DATABASE_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration DEFAULT_ENDPOINT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofMinutes(1);
  private static final String DEFAULT_MIGRATIONS = "migrations";

  /** The backup the runbook takes before the first change when the pipeline has none before it. */
  static final String IMPLICIT_BACKUP = "Backup before changes (the runbook: always back up before migrating)";

  /** Marks the deployments whose migrate and sql steps send the files' hashes, not their content. */
  static final String FILES_READ_BY_ACTIVITY = "release-files-read-by-activity";

  private final DeploymentContext context;
  /** The stubs built so far, one per activity interface and step timeout. */
  private final Map<StubKey, Object> stubs = new HashMap<>();
  private String backupPath;
  private String reason;
  private PreviousDeployment previous;

  StepRunner(DeploymentContext context) {
    this.context = context;
  }

  /** The backup this deployment took, or null. */
  String backupPath() {
    return backupPath;
  }

  /** Why the deployment is being rolled back; {@code $REASON} in rollback steps. */
  void reason(String reason) {
    this.reason = reason;
  }

  /**
   * The version deployed to the environment before this deployment, as the ledger holds it; from
   * then on commands receive {@code PREVIOUS_VERSION} and its kin, and a command that uses them
   * when there is no previous version is skipped.
   */
  void previous(PreviousDeployment previous) {
    this.previous = previous;
  }

  private record StubKey(Class<?> activities, Duration timeout) {}

  /**
   * The stub of an activity interface for steps that may take {@code timeout}: the options depend on
   * the step, so a stub is built the first time a timeout is needed and kept for the next step.
   */
  private <T> T stub(Class<T> activities, Duration timeout) {
    return activities.cast(stubs.computeIfAbsent(new StubKey(activities, timeout),
        key -> Workflow.newActivityStub(activities, ReleaseActivityOptions.forStep(timeout))));
  }

  /** Runs a step; {@code retryWindow} applies to endpoint checks. */
  StepResult run(Stage stage, PipelineStep step, Duration retryWindow) {
    long started = Workflow.currentTimeMillis();
    Outcome outcome;
    try {
      outcome = Failures.orStepFailure(() -> outcome(step, retryWindow), StepFailure::new);
    } catch (StepFailure failure) {
      outcome = Outcome.failed(failure.detail());
    }
    return new StepResult(stage, step.name(), step.kind().yamlName(), outcome.outcome(),
        Workflow.currentTimeMillis() - started, outcome.detail());
  }

  private Outcome outcome(PipelineStep step, Duration retryWindow) {
    if (step instanceof PipelineStep.Command command) {
      return command(command);
    } else if (step instanceof PipelineStep.Endpoint endpoint) {
      return endpoint(endpoint, retryWindow);
    } else if (step instanceof PipelineStep.Backup) {
      return backup(step);
    } else if (step instanceof PipelineStep.Restore) {
      return restore(step);
    } else if (step instanceof PipelineStep.Migrate migrate) {
      return migrate(migrate);
    } else if (step instanceof PipelineStep.Sql sql) {
      return sql(sql);
    } else if (step instanceof PipelineStep.RlsTest rlsTest) {
      return rlsTest(rlsTest);
    } else if (step instanceof PipelineStep.Notify notify) {
      return notify(notify);
    } else if (step instanceof PipelineStep.Incident incident) {
      return incident(incident);
    }
    throw new IllegalStateException("no runner for a " + step.kind() + " step");
  }

  /** A backup taken because the pipeline changes the database before any backup step of its own. */
  StepResult implicitBackup() {
    return run(Stage.SCHEMA_DEPLOY, new PipelineStep.Backup(IMPLICIT_BACKUP, null, true), Duration.ZERO);
  }

  private record Outcome(StepOutcome outcome, String detail) {

    static Outcome passed(String detail) {
      return new Outcome(StepOutcome.PASSED, detail);
    }

    static Outcome failed(String detail) {
      return new Outcome(StepOutcome.FAILED, detail);
    }
  }

  private Outcome command(PipelineStep.Command step) {
    if (previous != null && !previous.found() && (EnvironmentReadiness.mentions(step.command(), "PREVIOUS_VERSION")
        || EnvironmentReadiness.mentions(step.command(), "PREVIOUS_DATE"))) {
      return new Outcome(StepOutcome.SKIPPED, "no version was deployed to " + context.environment().name()
          + " before this one (the worker's ledger records none), so $PREVIOUS_VERSION and $PREVIOUS_DATE are"
          + " empty and there is nothing to go back to");
    }
    Duration timeout = timeoutOr(step, DEFAULT_COMMAND_TIMEOUT);
    CommandActivities commands = stub(CommandActivities.class, timeout);
    EnvironmentDatabase database = context.environment().database();
    Map<String, String> passedThrough = new LinkedHashMap<>();
    if (database != null && database.passwordEnv() != null) {
      passedThrough.put("PGPASSWORD", database.passwordEnv());
    }
    CommandResult result = commands.runCommand(new RunCommandRequest(
        context.project() + "-" + context.environment().name(),
        context.release().repository(),
        context.release().commit(),
        exports() + step.command(),
        timeout,
        passedThrough));
    String tail = result.outputTail() == null || result.outputTail().isBlank() ? "" : "; output: " + result.outputTail().strip();
    if (result.timedOut()) {
      return Outcome.failed("timed out after " + timeout + tail);
    }
    return result.succeeded()
        ? Outcome.passed("exit 0 in " + result.durationMillis() + " ms" + tail)
        : Outcome.failed("exit " + result.exitCode() + tail);
  }

  /**
   * What a command sees of the deployment, exported before the step's own text: the deployment,
   * the environment's URLs and projects (only those its file sets), the database (the password
   * comes from the worker, by name), the version deployed before this one once it has been looked
   * up, and the rollback's reason. The README lists them all.
   */
  private String exports() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("SILO_PROJECT", context.project());
    variables.put("SILO_ENVIRONMENT", context.environment().name());
    variables.put("SILO_VERSION", context.version());
    variables.put("SILO_COMMIT", context.release().commit());
    variables.put("BASE_URL", context.environment().baseUrl());
    if (context.environment().supabaseProject() != null) {
      variables.put("SUPABASE_PROJECT", context.environment().supabaseProject());
    }
    if (context.environment().odooUrl() != null) {
      variables.put("ODOO_URL", context.environment().odooUrl());
    }
    EnvironmentDatabase database = context.environment().database();
    if (database != null) {
      variables.put("PGHOST", database.host());
      variables.put("PGPORT", String.valueOf(database.port()));
      variables.put("PGDATABASE", database.database());
      variables.put("PGUSER", database.user());
    }
    if (previous != null) {
      variables.put("PREVIOUS_VERSION", previous.found() ? previous.version() : "");
      variables.put("PREVIOUS_COMMIT", previous.found() ? previous.commit() : "");
      variables.put("PREVIOUS_DEPLOYED_AT", previous.found() ? previous.deployedAt() : "");
      variables.put("PREVIOUS_DATE", previous.found() ? previousDate(previous.deployedAt()) : "");
    }
    variables.put("REASON", reason == null ? "" : reason);
    StringBuilder exports = new StringBuilder("export");
    variables.forEach((name, value) -> exports.append(' ').append(name).append('=').append(shellQuoted(value)));
    return exports.append("\n").toString();
  }

  /** The UTC day of an ISO instant as {@code date +%Y%m%d} writes it, such as {@code 20261201}. */
  static String previousDate(String deployedAt) {
    return deployedAt.substring(0, 10).replace("-", "");
  }

  static String shellQuoted(String value) {
    return "'" + (value == null ? "" : value.replace("'", "'\\''")) + "'";
  }

  private Outcome endpoint(PipelineStep.Endpoint step, Duration retryWindow) {
    Duration timeout = timeoutOr(step, DEFAULT_ENDPOINT_TIMEOUT);
    HealthActivities health = stub(HealthActivities.class, timeout.plus(retryWindow));
    int expected = step.expectedStatus() == null ? 200 : step.expectedStatus();
    String url = url(step.endpoint());
    if (url == null) {
      return Outcome.failed(step.endpoint() + " is a path but " + context.environment().name()
          + " has no base_url to resolve it against");
    }
    EndpointCheckResult result = health.checkEndpoint(new EndpointCheckRequest(
        url, expected, timeout, retryWindow, HEALTH_RETRY_INTERVAL));
    return result.passed() ? Outcome.passed(result.message()) : Outcome.failed(result.message());
  }

  /**
   * An endpoint path is resolved against the environment's base URL; a full URL is kept. Null for a
   * path when the environment has no base URL.
   */
  String url(String endpoint) {
    if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
      return endpoint;
    }
    String base = context.environment().baseUrl();
    if (base == null) {
      return null;
    }
    return base.replaceAll("/+$", "") + (endpoint.startsWith("/") ? endpoint : "/" + endpoint);
  }

  /**
   * Backups and restores heartbeat while pg_dump or pg_restore runs; a migration or a statement
   * heartbeats from beside the connection while the server works on it.
   */
  private ReleaseDatabaseActivities database(PipelineStep step) {
    return stub(ReleaseDatabaseActivities.class, timeoutOr(step, DEFAULT_DATABASE_TIMEOUT));
  }

  private Outcome backup(PipelineStep step) {
    DatabaseBackup backup = database(step).backup(
        new EnvironmentBackupRequest(context.environment().database(), backupLabel()));
    backupPath = backup.path();
    return Outcome.passed(backup.path() + " (" + backup.sizeBytes() + " bytes, sha256 " + backup.sha256() + ")");
  }

  /** One backup file per deployment: the same on every retry, another for every deployment. */
  private String backupLabel() {
    return Workflow.getInfo().getWorkflowId().replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private Outcome restore(PipelineStep step) {
    if (backupPath == null) {
      return new Outcome(StepOutcome.SKIPPED, "this deployment took no backup, so there is nothing to restore");
    }
    RestoreResult restored = database(step).restore(
        new EnvironmentRestoreRequest(context.environment().database(), backupPath));
    return Outcome.passed("restored " + restored.backupPath() + " (sha256 " + restored.sha256() + ")");
  }

  private Outcome migrate(PipelineStep.Migrate step) {
    String directory = step.directory() == null ? DEFAULT_MIGRATIONS : step.directory();
    List<MigrationFile> files = context.release().migrations().getOrDefault(directory, List.of());
    EnvironmentMigrateRequest request = filesReadByActivity()
        ? new EnvironmentMigrateRequest(context.environment().database(), files, context.project(),
            context.release().commit(), directory)
        : new EnvironmentMigrateRequest(context.environment().database(), files);
    MigrationResult result = database(step).migrate(request);
    return Outcome.passed(result.applied().size() + " applied " + result.applied() + ", "
        + result.alreadyApplied().size() + " already applied");
  }

  private Outcome sql(PipelineStep.Sql step) {
    SqlRequest request;
    if (step.file() == null) {
      request = new SqlRequest(context.environment().database(), "inline", step.sql());
    } else {
      Map<String, ReleaseFile> hashes = context.release().sqlFileHashes();
      request = filesReadByActivity() && hashes != null && hashes.containsKey(step.file())
          ? new SqlRequest(context.environment().database(), step.file(), null, context.project(),
              context.release().commit(), hashes.get(step.file()))
          : new SqlRequest(context.environment().database(), step.file(), context.release().sqlFiles().get(step.file()));
    }
    SqlResult result = database(step).runSql(request);
    return Outcome.passed(result.statements() + " statement" + (result.statements() == 1 ? "" : "s")
        + (result.firstValue() == null ? "" : ", first value " + result.firstValue())
        + (result.rowsAffected() > 0 ? ", " + result.rowsAffected() + " rows changed" : ""));
  }

  /**
   * Whether the database activities read the release's files from its commit themselves ({@value
   * #FILES_READ_BY_ACTIVITY}): the prepared release then holds each file's hash and size, not its
   * content. A deployment that ran before sent the content it had been prepared with, and keeps
   * doing so on replay; one prepared before that reaches a step now still sends the content it has.
   */
  private static boolean filesReadByActivity() {
    return Workflow.getVersion(FILES_READ_BY_ACTIVITY, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  private Outcome rlsTest(PipelineStep.RlsTest step) {
    RlsTestResult result = database(step).rlsTest(new RlsTestRequest(context.environment().database(),
        step.role(), step.claims(), step.sql(), step.expectVisibleRows(), step.expectDenied()));
    return result.passed() ? Outcome.passed(result.message()) : Outcome.failed(result.message());
  }

  private NotifyActivities notifier(PipelineStep step) {
    return stub(NotifyActivities.class, timeoutOr(step, DEFAULT_WEBHOOK_TIMEOUT));
  }

  private Outcome notify(PipelineStep.Notify step) {
    String text = substitute(step.message() == null
        ? "Release $VERSION of $PROJECT in $ENVIRONMENT: $REASON" : step.message());
    WebhookDelivery delivery = notifier(step).notify(new NotifyRequest(step.webhookEnv(), null, text,
        fields(), idempotencyKey(step)));
    return Outcome.passed("posted to " + step.webhookEnv() + " (HTTP " + delivery.status() + ")");
  }

  private Outcome incident(PipelineStep.Incident step) {
    String title = substitute(step.message() == null
        ? "Rollback of $PROJECT $VERSION in $ENVIRONMENT: $REASON" : step.message());
    WebhookDelivery delivery = notifier(step).openIncident(new IncidentRequest(step.webhookEnv(), null, title,
        "critical", fields(), idempotencyKey(step)));
    return Outcome.passed("incident " + (delivery.reference() == null ? "opened" : delivery.reference())
        + " through " + step.webhookEnv());
  }

  private Map<String, Object> fields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("project", context.project());
    fields.put("environment", context.environment().name());
    fields.put("version", context.version());
    fields.put("commit", context.release().commit());
    fields.put("reason", reason == null ? "" : reason);
    fields.put("workflow", Workflow.getInfo().getWorkflowId());
    return fields;
  }

  private String idempotencyKey(PipelineStep step) {
    return Workflow.getInfo().getWorkflowId() + "/" + Workflow.getInfo().getRunId() + "/" + step.name();
  }

  /** Replaces the runbook's variables in a message. */
  String substitute(String text) {
    return text.replace("$REASON", reason == null ? "" : reason)
        .replace("$VERSION", context.version())
        .replace("$PROJECT", context.project())
        .replace("$ENVIRONMENT", context.environment().name());
  }

  private static Duration timeoutOr(PipelineStep step, Duration fallback) {
    return step.timeout() == null ? fallback : step.timeout();
  }
}
