package dev.silo.starter;

import io.temporal.client.WorkflowExecutionMetadata;
import picocli.CommandLine.Command;

/** {@code silo report}: the final report of the latest deployment of a silo. */
@Command(
    name = "report",
    header = "Show the final report of the latest deployment of a silo.",
    description =
        "Exit code 0 when the silo is deployed, 1 when the run failed, was rejected or cancelled,"
            + " 3 while it is still running.")
final class ReportCommand extends SiloRunCommand {

  ReportCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(SiloTarget target, Output output) {
    WorkflowExecutionMetadata run = target.requireRun(null);
    if (ExecutionStatuses.isRunning(run.getStatus())) {
      throw CliException.unavailable(
          "the deployment of " + target.names().siloId() + " is still running (workflow " + target.workflowId()
              + ", run " + run.getExecution().getRunId() + "): the report comes at its end; see '"
              + target.command("status") + "' or '" + target.command("watch") + "'");
    }
    return target.outcome(run).print(output, target.names());
  }
}
