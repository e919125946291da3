package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.RunLookup;
import dev.silo.starter.output.Output;
import dev.silo.workflows.silo.SiloProgress;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code silo status}: where the latest deployment of a silo stands. */
@Command(
    name = "status",
    description = "Show the latest deployment of a silo: steps, plan, pending decision, degraded items, decisions.")
public final class StatusCommand extends SiloRunCommand {

  @Option(names = "--destroy", description = "Act on the silo's teardown ('silo destroy', workflow"
      + " silo-destroy-{client}-{app}) instead of its deployment.")
  boolean destroy;

  @Override
  boolean teardown() {
    return destroy;
  }

  public StatusCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(SiloTarget target, Output output) {
    WorkflowExecutionMetadata run = target.requireRun(null);
    String runId = run.getExecution().getRunId();
    RunOutcome closed = null;
    SiloProgress progress;
    try {
      progress = target.progress(runId, deadline(run));
    } catch (ProgressUnavailableException e) {
      if (ExecutionStatuses.isRunning(run.getStatus())) {
        throw CliException.unavailable(
            "cannot read the progress of " + target.workflowId() + " (run " + runId + "): " + e.getMessage()
                + "; is a worker polling task queue '" + run.getTaskQueue() + "'?");
      }
      // A closed run nobody replays is described by its result or failure details, which hold
      // the report; asking again for a cancelled run's report would only wait again.
      closed = RunOutcome.read(target.stub(runId), run);
      progress = closed.asProgress();
    }
    output.document(progress);
    output.text(ProgressRenderer.render(target.names(), runId, progress, Instant.now()));
    if (closed != null && closed.report() == null) {
      output.text("The run ended " + closed.closedAs() + " without a report"
          + (closed.failure() == null ? "." : ": " + closed.failure()));
    }
    return ExitCodes.OK;
  }

  private static Duration deadline(WorkflowExecutionMetadata run) {
    return ExecutionStatuses.isRunning(run.getStatus())
        ? RunLookup.RUNNING_QUERY_DEADLINE
        : RunLookup.CLOSED_RUN_QUERY_DEADLINE;
  }
}
