package dev.silo.starter.release;

import dev.silo.client.TemporalConnection;
import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.RunLookup;
import dev.silo.starter.command.TemporalConnector;
import dev.silo.workflows.lock.LockQueue;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.ReleaseProgress;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Optional;

/**
 * One project's releases on a reachable server: its promotions, their deployments to each
 * environment and the environments' queues, with the look-ups every {@code silo release} command
 * needs. A null run ID means the latest run of the workflow ID.
 */
final class ReleaseTarget implements AutoCloseable {

  /** {@code @QueryMethod}s without a name: the query type is the method's name. */
  private static final String PROGRESS_QUERY = "progress";

  private static final String QUEUE_QUERY = "queue";

  private final TemporalConnection connection;
  private final String project;

  private ReleaseTarget(TemporalConnection connection, String project) {
    this.connection = connection;
    this.project = project;
  }

  /** Connects; exit code 3 when the server cannot be reached. */
  static ReleaseTarget open(CliContext context, GlobalOptions globals, String project) {
    return new ReleaseTarget(TemporalConnector.open(context, globals), project);
  }

  String project() {
    return project;
  }

  WorkflowClient client() {
    return connection.client();
  }

  WorkflowStub stub(String workflowId, String runId) {
    return client().newUntypedWorkflowStub(workflowId, Optional.ofNullable(runId), Optional.empty());
  }

  /** The run, or empty when the server has none of this workflow ID. */
  Optional<WorkflowExecutionMetadata> find(String workflowId, String runId) {
    return RunLookup.find(connection, workflowId, runId);
  }

  /** The promotion of a version, or exit code 3 when there is none. */
  WorkflowExecutionMetadata requireRelease(String version, String runId) {
    String workflowId = ReleaseNames.releaseWorkflowId(project, version);
    return find(workflowId, runId)
        .orElseThrow(
            () ->
                CliException.unavailable(
                    "no release " + version + " of " + project + " found (workflow " + workflowId
                        + "): start one with 'silo release start " + project + " " + version + " --to <ENV>'"));
  }

  /** The promotion's environments; unavailable when no worker answers within {@code deadline}. */
  ReleaseProgress releaseProgress(String version, String runId, Duration deadline) {
    return RunLookup.query(connection, ReleaseNames.releaseWorkflowId(project, version), runId, PROGRESS_QUERY,
        ReleaseProgress.class, deadline);
  }

  /** A deployment's stage, steps and approval; unavailable when no worker answers within {@code deadline}. */
  EnvironmentProgress deploymentProgress(String workflowId, String runId, Duration deadline) {
    return RunLookup.query(connection, workflowId, runId, PROGRESS_QUERY, EnvironmentProgress.class, deadline);
  }

  /**
   * Who holds the environment and who waits; empty when no deployment of the project has ever asked
   * for it (its lock workflow does not exist), unavailable when no worker answers.
   */
  Optional<LockQueue> lockQueue(String environment, Duration deadline) {
    try {
      return Optional.of(RunLookup.query(connection, ReleaseNames.lockWorkflowId(project, environment), null,
          QUEUE_QUERY, LockQueue.class, deadline));
    } catch (ProgressUnavailableException e) {
      if (RunLookup.noSuchRun(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * How a closed promotion ended, read from its history; when the history holds no report (a
   * cancelled run), the run's progress may still hold one.
   */
  ReleaseOutcome outcome(String version, WorkflowExecutionMetadata run) {
    String runId = run.getExecution().getRunId();
    ReleaseOutcome outcome = ReleaseOutcome.read(stub(run.getExecution().getWorkflowId(), runId), run);
    if (outcome.report() != null) {
      return outcome;
    }
    try {
      ReleaseProgress progress = releaseProgress(version, runId, RunLookup.CLOSED_RUN_QUERY_DEADLINE);
      return progress.report() == null ? outcome : outcome.withReport(progress.report());
    } catch (ProgressUnavailableException e) {
      return outcome;
    }
  }

  /** A command about this project, for hints: {@code silo release <verb> <project> <arguments>}. */
  String command(String verb, String arguments) {
    return "silo release " + verb + " " + project + (arguments.isEmpty() ? "" : " " + arguments);
  }

  @Override
  public void close() {
    connection.close();
  }
}
