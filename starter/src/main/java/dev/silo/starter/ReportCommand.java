package dev.silo.starter;

import io.temporal.client.WorkflowExecutionMetadata;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code silo report}: the final report of the latest deployment of a silo. */
@Command(
    name = "report",
    header = "Show the final report of the latest deployment of a silo.",
    description =
        "Exit code 0 when the silo is deployed, 1 when the run failed, was rejected or cancelled,"
            + " 3 while it is still running.")
final class ReportCommand implements Callable<Integer>, SiloCommand {

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin SiloArguments silo = new SiloArguments();

  ReportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    try (SiloTarget target = SiloTarget.open(context, globals, silo)) {
      WorkflowExecutionMetadata run = target.requireRun(null);
      if (ExecutionStatuses.isRunning(run.getStatus())) {
        throw CliException.unavailable(
            "the deployment of " + target.names().siloId() + " is still running (workflow " + target.workflowId()
                + ", run " + run.getExecution().getRunId() + "): the report comes at its end; see '"
                + target.command("status") + "' or '" + target.command("watch") + "'");
      }
      return OutcomePrinter.print(new Output(context, globals), target.names(), target.outcome(run));
    }
  }
}
