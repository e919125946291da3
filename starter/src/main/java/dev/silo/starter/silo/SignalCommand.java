package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.DecisionSender;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.SigningOptions;
import dev.silo.starter.output.Output;
import dev.silo.starter.signing.DecisionSigner;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.decision.PendingDecision;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.silo.FailedStep;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloProgress;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends a person's decision to the running deployment of a silo: signed with their SSH key over the
 * run, the plan they were shown and their comment, as an Update the run's validator accepts or
 * refuses with a reason (nothing recorded then). With {@code --signal}, as a signal instead, which
 * the run records as accepted or ignored.
 */
abstract class SignalCommand extends SiloRunCommand {

  private final CliContext context;
  private final String signal;

  @Option(names = "--as", paramLabel = "NAME",
      description = "The name an unsigned decision is recorded under (default: $USER); a signed one records the"
          + " principal of its key.")
  String actor;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why; signed with the decision and kept in the"
      + " audit trail.")
  String comment;

  @Option(names = "--signal",
      description = "Send it as a signal instead of an Update: the run records it as accepted or ignored, and"
          + " this command cannot tell which.")
  boolean asSignal;

  @Option(names = "--destroy", description = "Act on the silo's teardown ('silo destroy', workflow"
      + " silo-destroy-{client}-{app}) instead of its deployment.")
  boolean destroy;

  @Override
  boolean teardown() {
    return destroy;
  }

  @Mixin SigningOptions signing = new SigningOptions();

  private DecisionSender sender;

  SignalCommand(CliContext context, String signal) {
    super(context);
    this.context = context;
    this.signal = signal;
  }

  @Override
  public Integer call() {
    String who = DecisionSender.actor(actor, context);
    silo.names();
    Optional<DecisionSigner> key = signing.signer(context, "the decision");
    sender = new DecisionSender(key, who, comment);
    return super.call();
  }

  @Override
  int run(SiloTarget target, Output output) {
    WorkflowExecutionMetadata run = target.requireRunning();
    String runId = run.getExecution().getRunId();
    SiloProgress progress = awaiting(target, runId);
    Decision decision = sender.decision(target.workflowId(), runId, progress.planHash(),
        progress.pending() == null ? null : progress.pending().id(), signal);
    String what = "the " + (destroy ? "teardown" : "deployment") + " of " + target.names().siloId() + " (workflow "
        + target.workflowId() + ", run " + runId + ")";
    if (asSignal) {
      DecisionSender.signal(target.stub(runId), signal, decision, what);
      output.document(new Sent(target.workflowId(), runId, signal, decision.actor(), "signal", null));
      output.text("Sent the " + signal + " signal to " + target.workflowId() + " (run " + runId + ") from "
          + sender.sender() + (sender.comment().isEmpty() ? "" : " with comment \"" + sender.comment() + "\"")
          + ".\nThe run records whether it accepts it: '" + target.command("status") + "' or '"
          + target.command("watch") + "'.");
      return ExitCodes.OK;
    }
    DecisionRecord recorded = DecisionSender.update(target.stub(runId), signal, decision, what,
        target.command("status"));
    output.document(new Sent(target.workflowId(), runId, signal, recorded.actor(), "update", recorded));
    output.text(DecisionSender.recorded(recorded) + "\n  workflow  " + target.workflowId() + "\n  run       "
        + runId + (progress.planHash() == null ? "" : "\n  plan      " + DecisionText.shortHash(progress.planHash()))
        + "\nFollow it with '" + target.command("watch") + "'.");
    return ExitCodes.OK;
  }

  /**
   * The run's progress, which names the plan a signed decision is bound to. A decision the run is
   * not waiting for is not sent, with the commands that show where it stands; a run no worker
   * answers for could not take an Update either, so nothing is sent then.
   */
  private SiloProgress awaiting(SiloTarget target, String runId) {
    SiloProgress progress;
    try {
      progress = target.progress(runId, QUERY_DEADLINE);
    } catch (ProgressUnavailableException e) {
      throw CliException.unavailable("cannot read the plan of " + target.workflowId() + " (run " + runId + "): "
          + e.getMessage() + "; is a worker running? Nothing was sent");
    }
    PendingDecision pending = progress.pending();
    if (pending == null || !answers(pending.signal())) {
      throw CliException.badInput(
          target.names().siloId() + " is not waiting for " + signal + " (status " + progress.status() + ", step "
              + progress.currentStep() + (pending == null ? "" : ", waiting for " + pending.signal())
              + "): nothing was sent; see '" + target.command("status") + "'");
    }
    FailedStep failed = progress.failure();
    if (signal.equals(SiloDeploymentWorkflow.SKIP_STEP) && failed != null && !failed.skippable()) {
      throw CliException.badInput(failed.step() + " may not be skipped: the runbook skips only containers (DOCKER);"
          + " nothing was sent; retry it with '" + target.command("retry-step") + "' or end the run with '"
          + target.command("abort") + "'");
    }
    return progress;
  }

  /** Whether this decision answers the question the run asks; reject also declines a branch overwrite. */
  private boolean answers(String pendingSignal) {
    if (signal.equals(SiloDeploymentWorkflow.REJECT)) {
      return REJECTABLE.contains(pendingSignal);
    }
    if (signal.equals(SiloDeploymentWorkflow.SKIP_STEP) || signal.equals(SiloDeploymentWorkflow.ABORT_STEP)) {
      // A failed step asks one question, named after its first answer; skip and abort answer it too.
      return pendingSignal.equals(SiloDeploymentWorkflow.RETRY_STEP);
    }
    return signal.equals(pendingSignal);
  }

  private static final Duration QUERY_DEADLINE = Duration.ofSeconds(10);

  private static final Set<String> REJECTABLE =
      Set.of(SiloDeploymentWorkflow.APPROVE, SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);

  /**
   * The json output: the decision sent and, for an Update, what the run recorded.
   *
   * @param workflowId the run's workflow ID
   * @param runId the run decided on
   * @param signal the decision: {@code approve}, {@code reject}, {@code confirmBranchOverwrite}, {@code retryDesk},
   *     {@code retryStep}, {@code skipStep} or {@code abortStep}
   * @param actor for an Update, the principal the run recorded; for a signal, the typed name sent
   * @param via {@code update} or {@code signal}
   * @param recorded the audit-trail entry the run recorded; null for a signal
   */
  record Sent(String workflowId, String runId, String signal, String actor, String via, DecisionRecord recorded) {}
}
