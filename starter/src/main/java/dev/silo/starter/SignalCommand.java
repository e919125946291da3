package dev.silo.starter;

import dev.silo.workflows.silo.Decision;
import dev.silo.workflows.silo.PendingDecision;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloProgress;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Duration;
import java.util.Set;
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
    refuseWhenNotAsked(target, runId);
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

  /**
   * A signal the run is not waiting for would be recorded as ignored while the sender believes it
   * took effect (an approval sent before the plan is published, say), so nothing is sent then.
   * When the run cannot be asked, the signal goes anyway and the run's audit trail decides.
   */
  private void refuseWhenNotAsked(SiloTarget target, String runId) {
    SiloProgress progress;
    try {
      progress = target.progress(runId, QUERY_DEADLINE);
    } catch (ProgressUnavailableException e) {
      return;
    }
    PendingDecision pending = progress.pending();
    if (pending == null || !answers(pending.signal())) {
      throw CliException.badInput(
          target.names().siloId() + " is not waiting for " + signal + " (status " + progress.status() + ", step "
              + progress.currentStep() + (pending == null ? "" : ", waiting for " + pending.signal())
              + "): nothing was sent; see '" + target.command("status") + "'");
    }
  }

  /** Whether this signal answers the question the run asks; reject also declines a branch overwrite. */
  private boolean answers(String pendingSignal) {
    if (signal.equals(SiloDeploymentWorkflow.REJECT)) {
      return REJECTABLE.contains(pendingSignal);
    }
    return signal.equals(pendingSignal);
  }

  private static final Duration QUERY_DEADLINE = Duration.ofSeconds(10);

  private static final Set<String> REJECTABLE =
      Set.of(SiloDeploymentWorkflow.APPROVE, SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);

  /** The json output: the signal that was sent. */
  record Sent(String workflowId, String signal, String actor) {}
}
