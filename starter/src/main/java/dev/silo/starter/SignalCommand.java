package dev.silo.starter;

import dev.silo.workflows.silo.Decision;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowNotFoundException;
import picocli.CommandLine.Option;

/**
 * Sends a person's decision to the running deployment of a silo. The run checks who may decide and
 * records every decision, accepted or ignored, in its audit trail.
 */
abstract class SignalCommand extends SiloRunCommand {

  private final String signal;

  @Option(names = "--as", required = true, paramLabel = "NAME", description = "Who decides.")
  String actor;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why; kept in the audit trail.")
  String comment;

  SignalCommand(CliContext context, String signal) {
    super(context);
    this.signal = signal;
  }

  @Override
  public Integer call() {
    if (actor.isBlank()) {
      throw CliException.badInput("--as needs a name");
    }
    return super.call();
  }

  @Override
  int run(SiloTarget target, Output output) {
    WorkflowExecutionMetadata run = target.requireRunning();
    String runId = run.getExecution().getRunId();
    Decision decision = new Decision(actor, comment == null ? "" : comment);
    try {
      target.stub(runId).signal(signal, decision);
    } catch (WorkflowNotFoundException e) {
      throw CliException.unavailable(
          "the deployment of " + target.names().siloId() + " ended before the " + signal + " signal reached it"
              + " (workflow " + target.workflowId() + ", run " + runId + ")");
    }
    output.document(new Sent(target.workflowId(), signal, actor));
    output.text(
        "Sent " + signal + " to " + target.workflowId() + " (run " + runId + ") as " + actor
            + (decision.comment().isEmpty() ? "" : " with comment \"" + decision.comment() + "\"") + ".\n"
            + "The run records whether it accepts it: '" + target.command("status") + "' or '"
            + target.command("watch") + "'.");
    return ExitCodes.OK;
  }

  /** The json output: the signal that was sent. */
  record Sent(String workflowId, String signal, String actor) {}
}
