package dev.silo.workflows.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.Map;

/**
 * One step of a pipeline stage or of the rollback, as written in the pipeline file: one record per
 * {@link StepKind}, holding only what that kind reads.
 *
 * <p>In history a step is a JSON object whose {@code kind} names its record. Runs recorded before
 * the records existed hold one flat object with every parameter of every kind, most of them null;
 * the same {@code kind} picks the record, and the parameters the record lacks are ignored, so those
 * runs replay unchanged.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PipelineStep.Command.class, name = "COMMAND"),
  @JsonSubTypes.Type(value = PipelineStep.Endpoint.class, name = "ENDPOINT"),
  @JsonSubTypes.Type(value = PipelineStep.Backup.class, name = "BACKUP"),
  @JsonSubTypes.Type(value = PipelineStep.Restore.class, name = "RESTORE"),
  @JsonSubTypes.Type(value = PipelineStep.Migrate.class, name = "MIGRATE"),
  @JsonSubTypes.Type(value = PipelineStep.Sql.class, name = "SQL"),
  @JsonSubTypes.Type(value = PipelineStep.RlsTest.class, name = "RLS_TEST"),
  @JsonSubTypes.Type(value = PipelineStep.Notify.class, name = "NOTIFY"),
  @JsonSubTypes.Type(value = PipelineStep.Incident.class, name = "INCIDENT")
})
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface PipelineStep {

  /** What the step is, as reports show it; never blank. */
  String name();

  /** How long the step may take; null when not written, leaving the runner's default. */
  Duration timeout();

  /** Whether a failure of this step stops the environment's deployment. */
  boolean blocking();

  /** What the step does. */
  StepKind kind();

  /**
   * Runs a shell command in a workspace holding the version.
   *
   * @param command the shell command
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Command(String name, Duration timeout, boolean blocking, String command) implements PipelineStep {
    @Override
    public StepKind kind() {
      return StepKind.COMMAND;
    }
  }

  /**
   * Calls an HTTP endpoint of the environment and expects a status.
   *
   * @param endpoint the path or URL; a path is resolved against the environment's {@link
   *     EnvironmentDefinition#baseUrl()}
   * @param expectedStatus the status expected ({@code expected:}); 200 when null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Endpoint(String name, Duration timeout, boolean blocking, String endpoint, Integer expectedStatus)
      implements PipelineStep {
    @Override
    public StepKind kind() {
      return StepKind.ENDPOINT;
    }
  }

  /** Dumps the environment's database before anything changes it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Backup(String name, Duration timeout, boolean blocking) implements PipelineStep {
    @Override
    public StepKind kind() {
      return StepKind.BACKUP;
    }
  }

  /** Restores the backup taken earlier in the same deployment. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Restore(String name, Duration timeout, boolean blocking) implements PipelineStep {
    @Override
    public StepKind kind() {
      return StepKind.RESTORE;
    }
  }

  /**
   * Applies the version's migrations that the database has not applied yet.
   *
   * @param directory the migrations directory, relative to the version's workspace; {@code
   *     migrations} when null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Migrate(String name, Duration timeout, boolean blocking, String directory) implements PipelineStep {
    @Override
    public StepKind kind() {
      return StepKind.MIGRATE;
    }
  }

  /**
   * Runs one SQL file or one statement against the environment's database; exactly one of the two
   * is set.
   *
   * @param file the SQL file, relative to the version's workspace
   * @param sql the statement written inline
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Sql(String name, Duration timeout, boolean blocking, String file, String sql) implements PipelineStep {
    @Override
    public StepKind kind() {
      return StepKind.SQL;
    }
  }

  /**
   * Runs a statement as a role with JWT claims and asserts which rows it may see or change.
   *
   * @param role the database role set
   * @param claims the JWT claims set as {@code request.jwt.claims}
   * @param sql the statement run as the role
   * @param expectVisibleRows how many rows the statement must return; null when the step expects a
   *     denial instead
   * @param expectDenied whether the statement must be refused
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record RlsTest(String name, Duration timeout, boolean blocking, String role, Map<String, String> claims, String sql,
      Integer expectVisibleRows, boolean expectDenied) implements PipelineStep {
    @Override
    public StepKind kind() {
      return StepKind.RLS_TEST;
    }
  }

  /**
   * A step that posts to a webhook whose URL the worker holds.
   */
  sealed interface Webhook extends PipelineStep {

    /**
     * The name of the worker environment variable holding the webhook URL; the URL itself is a
     * secret and is never written in a definition file.
     */
    String webhookEnv();

    /** The text sent; null for the runner's default. */
    String message();
  }

  /** Posts a Slack-compatible message to a webhook. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Notify(String name, Duration timeout, boolean blocking, String webhookEnv, String message)
      implements Webhook {
    @Override
    public StepKind kind() {
      return StepKind.NOTIFY;
    }
  }

  /** Opens an incident through a webhook. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Incident(String name, Duration timeout, boolean blocking, String webhookEnv, String message)
      implements Webhook {
    @Override
    public StepKind kind() {
      return StepKind.INCIDENT;
    }
  }
}
