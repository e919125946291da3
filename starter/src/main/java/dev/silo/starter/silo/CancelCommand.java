package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.output.Output;
import io.temporal.client.WorkflowExecutionMetadata;
import picocli.CommandLine.Command;

/** {@code silo cancel}: asks the running deployment of a silo to stop and undo its Fly apps. */
@Command(
    name = "cancel",
    description = "Cancel the running deployment of a silo; during the Fly step, the Fly apps it created are destroyed.")
public final class CancelCommand extends SiloRunCommand {

  public CancelCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(SiloTarget target, Output output) {
    WorkflowExecutionMetadata run = target.requireRunning();
    String runId = run.getExecution().getRunId();
    target.stub(runId).cancel("cancelled with 'silo cancel' by " + System.getProperty("user.name"));
    output.document(new CancelRequested(target.workflowId(), runId, true));
    output.text(
        "Cancellation requested for " + target.workflowId() + " (run " + runId + ").\n"
            + "If it is deploying Fly apps, the ones it created will be destroyed (apps that existed before are kept);"
            + " the run then ends CANCELLED.\n"
            + "Follow it with '" + target.command("watch") + "'.");
    return ExitCodes.OK;
  }

  /** The json output: the run asked to cancel. */
  public record CancelRequested(String workflowId, String runId, boolean cancelRequested) {}
}
