package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.output.Output;
import io.temporal.client.WorkflowExecutionMetadata;
import picocli.CommandLine.Command;

/** {@code silo report}: the final report of the latest deployment of a silo. */
@Command(
    name = "report",
    header = "Show the final report of the latest deployment of a silo.",
    description =
        "Exit code 0 when the silo is deployed, 1 when the run failed, was rejected or cancelled,"
            + " 3 while it is still running.")
public final class ReportCommand extends SiloRunCommand {

  public ReportCommand(CliContext context) {
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
