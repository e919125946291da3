package dev.silo.starter.silo;

import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import dev.silo.client.TemporalConnection;
import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.RunLookup;
import dev.silo.starter.command.TemporalConnector;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Optional;

/**
 * One silo's deployment runs on a reachable server: the connection plus the silo's names, with the
 * look-ups every command needs. A null run ID means the latest run of the workflow ID.
 */
final class SiloTarget implements AutoCloseable {

  /** {@code @QueryMethod} without a name: the query type is the method's name. */
  private static final String PROGRESS_QUERY = "progress";

  private final TemporalConnection connection;
  private final SiloNames names;
  private final boolean teardown;

  private SiloTarget(TemporalConnection connection, SiloNames names, boolean teardown) {
    this.connection = connection;
    this.names = names;
    this.teardown = teardown;
  }

  /** Checks the names (exit 2), then connects (exit 3 when the server cannot be reached). */
  static SiloTarget open(CliContext context, GlobalOptions globals, SiloArguments silo) {
    return open(context, globals, silo, false);
  }

  /**
   * Like {@link #open(CliContext, GlobalOptions, SiloArguments)}; with {@code teardown}, the runs
   * are the silo's teardowns ({@code silo-destroy-{client}-{app}}) instead of its deployments.
   */
  static SiloTarget open(CliContext context, GlobalOptions globals, SiloArguments silo, boolean teardown) {
    SiloNames names = silo.names();
    return new SiloTarget(TemporalConnector.open(context, globals), names, teardown);
  }

  SiloNames names() {
    return names;
  }

  String workflowId() {
    return teardown ? names.destroyWorkflowId() : names.workflowId();
  }

  /** The latest run of the silo's deployment, whichever runs this target looks at. */
  Optional<WorkflowExecutionMetadata> deployment() {
    return RunLookup.find(connection, names.workflowId(), null);
  }

  WorkflowClient client() {
    return connection.client();
  }

  WorkflowStub stub(String runId) {
    return client().newUntypedWorkflowStub(workflowId(), Optional.ofNullable(runId), Optional.empty());
  }

  /** The run, or empty when the server has no run of this workflow ID. */
  Optional<WorkflowExecutionMetadata> find(String runId) {
    return RunLookup.find(connection, workflowId(), runId);
  }

  /** The run, or exit code 3 when there is none. */
  WorkflowExecutionMetadata requireRun(String runId) {
    return find(runId)
        .orElseThrow(
            () ->
                CliException.unavailable(
                    "no " + what() + " of " + names.siloId() + " found (workflow " + workflowId()
                        + "): start one with 'silo " + (teardown ? "destroy " : "deploy ") + names.client() + " "
                        + names.app() + "'"));
  }

  /** The latest run if it is still running, or exit code 3. */
  WorkflowExecutionMetadata requireRunning() {
    WorkflowExecutionMetadata run = requireRun(null);
    if (!ExecutionStatuses.isRunning(run.getStatus())) {
      throw CliException.unavailable(
          "the " + what() + " of " + names.siloId() + " is not running (workflow " + workflowId() + ", run "
              + run.getExecution().getRunId() + " ended " + ExecutionStatuses.name(run.getStatus())
              + "): see 'silo report " + names.client() + " " + names.app() + "'");
    }
    return run;
  }

  /**
   * Asks the run for its progress. A worker must answer, replaying the history for a closed run;
   * when none does within {@code deadline}, the progress is unavailable.
   */
  SiloProgress progress(String runId, Duration deadline) {
    return RunLookup.query(connection, workflowId(), runId, PROGRESS_QUERY, SiloProgress.class, deadline);
  }

  /**
   * How a closed run ended, read from its history. A cancelled run ends without a report in its
   * history; its progress, when a worker answers, still holds the one it wrote while cleaning up.
   */
  RunOutcome outcome(WorkflowExecutionMetadata run) {
    String runId = run.getExecution().getRunId();
    RunOutcome outcome = RunOutcome.read(stub(runId), run);
    if (outcome.report() != null) {
      return outcome;
    }
    try {
      SiloProgress progress = progress(runId, RunLookup.CLOSED_RUN_QUERY_DEADLINE);
      return progress.report() == null ? outcome : outcome.withReport(progress.report());
    } catch (ProgressUnavailableException e) {
      return outcome;
    }
  }

  /** The server's schedules, with the connection's namespace and data converter. */
  ScheduleClient schedules() {
    return ScheduleClient.newInstance(connection.stubs(), ScheduleClientOptions.newBuilder()
        .setNamespace(connection.namespace())
        .setDataConverter(client().getOptions().getDataConverter())
        .build());
  }

  /**
   * The commands that follow this silo, for hints. A teardown is followed with {@code status
   * --destroy}, and decided on with {@code approve}/{@code reject --destroy}.
   */
  String command(String verb) {
    if (teardown) {
      String teardownVerb = verb.equals("approve") || verb.equals("reject") ? verb : "status";
      return "silo " + teardownVerb + " " + names.client() + " " + names.app() + " --destroy";
    }
    return "silo " + verb + " " + names.client() + " " + names.app();
  }

  private String what() {
    return teardown ? "teardown" : "deployment";
  }

  @Override
  public void close() {
    connection.close();
  }
}
