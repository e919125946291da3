package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.output.Output;
import dev.silo.starter.silo.CancelCommand.CancelRequested;
import io.temporal.client.WorkflowExecutionMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code silo release cancel}: asks the running promotion of a version to stop. */
@Command(
    name = "cancel",
    header = "Cancel the running promotion of a version.",
    description =
        "The deployment running at the time stops: one that changed its environment rolls back, one that had"
            + " not yet changed it (queued, in pre-flight, awaiting approval) stops as it is; later environments are"
            + " not deployed. Exit code 3 when no promotion of the version is running.")
final class ReleaseCancelCommand extends ReleaseSubcommand {

  @Parameters(index = "1", paramLabel = "<version>", description = "The version being promoted.")
  String version;

  ReleaseCancelCommand(CliContext context) {
    super(context);
  }

  @Override
  void check() {
    ReleaseNames.check(project, version, null);
  }

  @Override
  int run(ReleaseTarget target, Output output) {
    WorkflowExecutionMetadata run = target.requireRelease(version, null);
    String workflowId = run.getExecution().getWorkflowId();
    String runId = run.getExecution().getRunId();
    if (!ExecutionStatuses.isRunning(run.getStatus())) {
      throw CliException.unavailable("release " + version + " of " + project + " is not running (workflow "
          + workflowId + ", run " + runId + " ended " + ExecutionStatuses.name(run.getStatus()) + "): see '"
          + target.command("report", version) + "'");
    }
    target.stub(workflowId, runId).cancel("cancelled with 'silo release cancel' by " + System.getProperty("user.name"));
    output.document(new CancelRequested(workflowId, runId, true));
    output.text("Cancellation requested for " + workflowId + " (run " + runId + "); follow it with '"
        + target.command("watch", version) + "'.");
    return ExitCodes.OK;
  }
}
