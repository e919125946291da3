package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.output.Output;
import io.temporal.client.WorkflowExecutionMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code silo release report}: the final report of the promotion of a version. */
@Command(
    name = "report",
    header = "Show the final report of the promotion of a version.",
    description =
        "Exit code 0 when the release succeeded (or an automatic run had nothing to do), 1 when it did not,"
            + " 3 while it is still running.")
final class ReleaseReportCommand extends ReleaseSubcommand {

  @Parameters(index = "1", paramLabel = "<version>", description = "The version released.")
  String version;

  ReleaseReportCommand(CliContext context) {
    super(context);
  }

  @Override
  void check() {
    ReleaseNames.check(project, version, null);
  }

  @Override
  int run(ReleaseTarget target, Output output) {
    WorkflowExecutionMetadata run = target.requireRelease(version, null);
    if (ExecutionStatuses.isRunning(run.getStatus())) {
      throw CliException.unavailable(
          "release " + version + " of " + project + " is still running (workflow "
              + run.getExecution().getWorkflowId() + ", run " + run.getExecution().getRunId()
              + "): the report comes at its end; see '" + target.command("watch", version) + "'");
    }
    return target.outcome(version, run).print(output);
  }
}
