package dev.silo.starter;

import io.temporal.client.WorkflowExecutionMetadata;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code silo cancel}: asks the running deployment of a silo to stop and undo its Fly apps. */
@Command(
    name = "cancel",
    description = "Cancel the running deployment of a silo; the Fly apps the run created are destroyed.")
final class CancelCommand implements Callable<Integer>, SiloCommand {

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin SiloArguments silo = new SiloArguments();

  CancelCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    Output output = new Output(context, globals);
    try (SiloTarget target = SiloTarget.open(context, globals, silo)) {
      WorkflowExecutionMetadata run = target.requireRunning();
      String runId = run.getExecution().getRunId();
      target.stub(runId).cancel("cancelled with 'silo cancel' by " + System.getProperty("user.name"));
      output.document(new CancelRequested(target.workflowId(), runId, true));
      output.text(
          "Cancellation requested for " + target.workflowId() + " (run " + runId + ").\n"
              + "The Fly apps this run created will be destroyed (apps that existed before are kept);"
              + " the run then ends CANCELLED.\n"
              + "Follow it with '" + target.command("watch") + "'.");
      return ExitCodes.OK;
    }
  }

  /** The json output: the run asked to cancel. */
  record CancelRequested(String workflowId, String runId, boolean cancelRequested) {}
}
