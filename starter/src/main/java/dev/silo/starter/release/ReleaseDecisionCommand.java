package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.DecisionSender;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.RunLookup;
import dev.silo.starter.command.SigningOptions;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Approvers;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.lock.LockQueue;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.PendingWatchDecision;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends an approver's decision to a deployment waiting for approval, or to one whose watch window
 * waits for a person after inconclusive readings ({@code approve} accepts the version, {@code
 * reject} rolls it back): by default the one holding the environment, with {@code --version} one
 * promotion's deployment. Nothing is sent unless the deployment waits for one of these. The
 * decision is signed with the approver's SSH key over the run, the plan hash and the comment, and
 * sent as an Update the run's validator accepts or refuses with a reason; with {@code --signal}, as a
 * signal the run records as accepted or ignored.
 *
 * <p>It is one unit over 300 lines because finding the waiting deployment, signing the decision and
 * sending it as an Update or a signal are one protocol with the run's validator.
 */
abstract class ReleaseDecisionCommand extends ReleaseSubcommand {

  private final String signal;

  @Parameters(index = "1", paramLabel = "<env>", description = "The environment: dev, staging, uat or prod.")
  String environment;

  @Option(names = "--as", paramLabel = "NAME",
      description = "The name an unsigned decision is recorded under (default: $USER); a signed one records the"
          + " principal of its key.")
  String actor;

  @Option(names = "--comment", paramLabel = "TEXT",
      description = "Why; signed with the decision and kept in the deployment's report.")
  String comment;

  @Option(names = "--version", paramLabel = "VERSION",
      description = "Decide on this version's deployment to <env> (default: the one holding <env>).")
  String version;

  @Option(names = "--signal",
      description = "Send it as a signal instead of an Update: the run records it as accepted or ignored, and"
          + " this command cannot tell which.")
  boolean asSignal;

  @Mixin SigningOptions signing = new SigningOptions();

  private final CliContext context;
  private DecisionSender sender;

  ReleaseDecisionCommand(CliContext context, String signal) {
    super(context);
    this.context = context;
    this.signal = signal;
  }

  @Override
  void check() {
    ReleaseNames.check(project, version, environment);
    String who = DecisionSender.actor(actor, context);
    sender = new DecisionSender(signing.signer(context, "the decision"), who, comment);
  }

  @Override
  int run(ReleaseTarget target, Output output) {
    String workflowId =
        version != null ? ReleaseNames.deploymentWorkflowId(project, version, environment) : holder(target);
    WorkflowExecutionMetadata run = target.find(workflowId, null)
        .orElseThrow(() -> CliException.unavailable(
            "no deployment " + workflowId + " found: the release has not reached " + environment + "; see '"
                + target.command("status", "") + "'"));
    String runId = run.getExecution().getRunId();
    EnvironmentProgress progress = awaitingApproval(target, run);
    Decision decision = sender.decision(workflowId, runId, progress.planHash(), progress.question(), signal);
    String what = workflowId + " (run " + runId + ")";
    if (!asSignal) {
      DecisionRecord recorded = DecisionSender.update(target.stub(workflowId, runId), signal, decision, what,
          target.command("status", ""));
      return decided(target, workflowId, runId, progress, recorded, output);
    }
    DecisionSender.signal(target.stub(workflowId, runId), signal, decision, what);
    if (progress.status() == EnvironmentStatus.AWAITING_DECISION) {
      return watchSignalled(target, workflowId, runId, progress, decision, output);
    }
    String actor = decision.actor();
    ApprovalStanding before = ApprovalStanding.of(progress.approval());
    boolean counts = approving() ? before.counts(actor) : Approvers.named(before.approvers(), actor);
    ApprovalStanding after = approving() ? before.approvedBy(actor) : before;
    output.document(new Sent(workflowId, runId, signal, actor, project, environment, progress.version(),
        after.approvers(), after.required(), after.approvedBy(), after.stillNeeded(), counts, "signal", null));
    output.text(sent(target, workflowId, runId, progress, decision, before, after, counts));
    return ExitCodes.OK;
  }

  /** Reports a decision the run accepted as an Update: what it recorded and where the gate stands. */
  private int decided(ReleaseTarget target, String workflowId, String runId, EnvironmentProgress progress,
      DecisionRecord recorded, Output output) {
    StringBuilder text = new StringBuilder();
    text.append(DecisionSender.recorded(recorded)).append('\n')
        .append("  deployment ").append(workflowId).append(" (").append(project).append(' ')
        .append(progress.version()).append(" in ").append(environment).append(", run ").append(runId).append(")\n");
    if (progress.status() == EnvironmentStatus.AWAITING_DECISION) {
      PendingWatchDecision pending = progress.decision();
      output.document(new WatchDecisionSent(workflowId, runId, signal, recorded.actor(), project, environment,
          progress.version(), pending.reason(), pending.deciders(), recorded.accepted(), "update", recorded));
      text.append(approving()
          ? "The watch window could not decide (" + pending.reason() + "): the version is accepted.\n"
          : "The watch window could not decide (" + pending.reason() + "): the version is rolled back.\n");
    } else {
      ApprovalStanding before = ApprovalStanding.of(progress.approval());
      ApprovalStanding after = approving() && recorded.accepted() ? before.approvedBy(recorded.actor()) : before;
      output.document(new Sent(workflowId, runId, signal, recorded.actor(), project, environment, progress.version(),
          after.approvers(), after.required(), after.approvedBy(), after.stillNeeded(), recorded.accepted(), "update",
          recorded));
      if (!approving()) {
        text.append("An approver's rejection ends the deployment REJECTED before anything changes.\n");
      } else {
        if (after.stillNeeded() == 0) {
          text.append("That is the last approval needed: the deployment goes on.\n");
        }
        text.append("Approval: ").append(after.describe()).append(".\n");
      }
    }
    text.append("Follow it with '").append(target.command("watch", progress.version())).append("'.");
    output.text(text.toString());
    return ExitCodes.OK;
  }

  /** Reports a signal sent to a watch window waiting for a person after inconclusive readings. */
  private int watchSignalled(ReleaseTarget target, String workflowId, String runId, EnvironmentProgress progress,
      Decision decision, Output output) {
    PendingWatchDecision pending = progress.decision();
    String actor = decision.actor();
    boolean counts = pending.deciders().isEmpty() || Approvers.named(pending.deciders(), actor);
    output.document(new WatchDecisionSent(workflowId, runId, signal, actor, project, environment, progress.version(),
        pending.reason(), pending.deciders(), counts, "signal", null));
    StringBuilder text = new StringBuilder();
    text.append("Sent the ").append(signal).append(" signal to ").append(workflowId).append(" (").append(project)
        .append(' ').append(progress.version()).append(" in ").append(environment).append(", run ").append(runId)
        .append(") from ").append(sender.sender())
        .append(decision.comment().isEmpty() ? "" : " with comment \"" + decision.comment() + "\"").append(".\n");
    if (!counts && !decision.signed()) {
      text.append(TextStyle.WARN).append(' ').append(actor).append(" is not among the approvers (")
          .append(String.join(", ", pending.deciders())).append("): the run records this ").append(signal)
          .append(" as ignored.\n");
    }
    text.append("The run records whether it accepts it: '").append(target.command("status", "")).append("' or '")
        .append(target.command("watch", progress.version())).append("'.");
    output.text(text.toString());
    return ExitCodes.OK;
  }

  private boolean approving() {
    return signal.equals(EnvironmentDeploymentWorkflow.APPROVE);
  }

  /** The deployment holding the environment, read from the environment's lock. */
  private String holder(ReleaseTarget target) {
    String lockId = ReleaseNames.lockWorkflowId(project, environment);
    Optional<LockQueue> queue;
    try {
      queue = target.lockQueue(environment, RunLookup.RUNNING_QUERY_DEADLINE);
    } catch (ProgressUnavailableException e) {
      throw CliException.unavailable(
          "cannot read who holds " + environment + " (lock " + lockId + "): " + e.getMessage()
              + "; is a worker polling task queue '" + TaskQueues.SILO + "'? Nothing was sent");
    }
    if (queue.isEmpty()) {
      throw CliException.unavailable(
          "no deployment of " + project + " to " + environment + " found (no lock " + lockId + "): start one with '"
              + target.command("start", "<VERSION> --to " + environment) + "'");
    }
    if (queue.get().holder() == null) {
      int waiting = queue.get().waiting() == null ? 0 : queue.get().waiting().size();
      throw CliException.unavailable(
          "no deployment holds " + environment + " of " + project + " (lock " + lockId
              + (waiting == 0 ? "" : ", " + waiting + " waiting") + "): nothing to " + signal + "; see '"
              + target.command("status", "") + "'");
    }
    return queue.get().holder().workflowId();
  }

  /**
   * The deployment's progress when it waits for approval. A decision sent at any other time would
   * be recorded as ignored while the sender believes it took effect, so nothing is sent then.
   */
  private EnvironmentProgress awaitingApproval(ReleaseTarget target, WorkflowExecutionMetadata run) {
    String workflowId = run.getExecution().getWorkflowId();
    String runId = run.getExecution().getRunId();
    boolean running = ExecutionStatuses.isRunning(run.getStatus());
    EnvironmentProgress progress;
    try {
      progress = target.deploymentProgress(workflowId, runId,
          running ? RunLookup.RUNNING_QUERY_DEADLINE : RunLookup.CLOSED_RUN_QUERY_DEADLINE);
    } catch (ProgressUnavailableException e) {
      if (running) {
        throw CliException.unavailable(
            "cannot read the progress of " + workflowId + " (run " + runId + "): " + e.getMessage()
                + "; is a worker polling task queue '" + run.getTaskQueue() + "'? Nothing was sent");
      }
      throw CliException.badInput(workflowId + " is not awaiting approval (it ended "
          + ExecutionStatuses.name(run.getStatus()) + "): nothing was sent; see '"
          + target.command("status", "") + "'");
    }
    boolean watchWaits = progress.status() == EnvironmentStatus.AWAITING_DECISION && progress.decision() != null;
    if (running && watchWaits) {
      return progress;
    }
    if (!running || progress.status() != EnvironmentStatus.AWAITING_APPROVAL || progress.approval() == null) {
      throw CliException.badInput(workflowId + " is not awaiting approval (" + state(progress) + "): nothing was"
          + " sent; see '" + target.command("status", "") + "'");
    }
    return progress;
  }

  /** The deployment's status, stage, what it waits on and who approved it, for the refusal. */
  private static String state(EnvironmentProgress progress) {
    StringJoiner terms = new StringJoiner(", ");
    terms.add("status " + progress.status());
    if (progress.stage() != null && !progress.status().isTerminal()) {
      terms.add("stage " + progress.stage().id());
    }
    if (progress.status() == EnvironmentStatus.WAITING_FOR_LOCK && progress.waitingOn() != null) {
      terms.add("waiting on " + progress.waitingOn());
    }
    if (progress.report() != null && progress.report().approval() != null) {
      terms.add("approval " + ReleaseReportRenderer.approval(progress.report().approval()));
    } else {
      List<String> approvedBy = acceptedApprovals(progress.decisions());
      if (!approvedBy.isEmpty()) {
        terms.add("approved by " + String.join(", ", approvedBy));
      }
    }
    return terms.toString();
  }

  private static List<String> acceptedApprovals(List<DecisionRecord> decisions) {
    List<String> actors = new ArrayList<>();
    for (DecisionRecord decision : decisions == null ? List.<DecisionRecord>of() : decisions) {
      if (decision.accepted() && EnvironmentDeploymentWorkflow.APPROVE.equals(decision.signal())
          && !actors.contains(decision.actor())) {
        actors.add(decision.actor());
      }
    }
    return actors;
  }

  private String sent(ReleaseTarget target, String workflowId, String runId, EnvironmentProgress progress,
      Decision decision, ApprovalStanding before, ApprovalStanding after, boolean counts) {
    StringBuilder text = new StringBuilder();
    String actor = decision.actor();
    text.append("Sent the ").append(signal).append(" signal to ").append(workflowId).append(" (").append(project)
        .append(' ').append(progress.version()).append(" in ").append(environment).append(", run ").append(runId)
        .append(") from ").append(sender.sender());
    if (!decision.comment().isEmpty()) {
      text.append(" with comment \"").append(decision.comment()).append('"');
    }
    text.append(".\n");
    if (!counts && !decision.signed()) {
      String why = before.approvedBy().contains(actor)
          ? actor + " has already approved"
          : actor + " is not among the approvers (" + String.join(", ", before.approvers()) + ")";
      text.append(TextStyle.WARN).append(' ').append(why).append(": the run records this ").append(signal)
          .append(" as ignored.\n");
    } else if (!approving()) {
      text.append("An approver's rejection ends the deployment REJECTED before anything changes.\n");
    } else if (after.stillNeeded() == 0) {
      text.append("That is the last approval needed: the deployment goes on.\n");
    }
    if (approving() || !counts) {
      text.append("Approval, if it counts: ").append(after.describe()).append(".\n");
    }
    text.append("The run records whether it accepts it: '").append(target.command("status", "")).append("' or '")
        .append(target.command("watch", progress.version())).append("'.");
    return text.toString();
  }

  /**
   * The json output: the decision sent and where the approval gate stands once it is counted.
   *
   * @param workflowId the deployment decided on
   * @param runId its run
   * @param signal {@code approve} or {@code reject}
   * @param actor for an Update, the principal the run recorded; for a signal, the typed name sent
   * @param project the project
   * @param environment the environment
   * @param version the version the deployment deploys
   * @param approvers who may approve
   * @param required how many approvals the gate needs
   * @param approvedBy who has approved, this approval included when it counts
   * @param stillNeeded how many approvals are still needed after this one
   * @param counts for an Update, true (the run accepted it); for a signal, whether the gate would
   *     count the typed name: an approver who has not approved yet (for {@code reject}: an approver)
   * @param via {@code update} or {@code signal}
   * @param recorded the audit-trail entry the run recorded; null for a signal
   */
  record Sent(String workflowId, String runId, String signal, String actor, String project, String environment,
      String version, List<String> approvers, int required, List<String> approvedBy, int stillNeeded, boolean counts,
      String via, DecisionRecord recorded) {}

  /**
   * The json output of a decision sent to a watch window waiting for a person.
   *
   * @param workflowId the deployment decided on
   * @param runId its run
   * @param signal {@code approve} (accept the version) or {@code reject} (roll it back)
   * @param actor for an Update, the principal the run recorded; for a signal, the typed name sent
   * @param project the project
   * @param environment the environment
   * @param version the version the deployment deploys
   * @param reason why the watch window could not decide
   * @param deciders who may decide; empty when anyone may
   * @param counts for an Update, true (the run accepted it); for a signal, whether the typed name may decide
   * @param via {@code update} or {@code signal}
   * @param recorded the audit-trail entry the run recorded; null for a signal
   */
  record WatchDecisionSent(String workflowId, String runId, String signal, String actor, String project,
      String environment, String version, String reason, List<String> deciders, boolean counts, String via,
      DecisionRecord recorded) {}
}
