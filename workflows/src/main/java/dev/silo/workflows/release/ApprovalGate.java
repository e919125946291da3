package dev.silo.workflows.release;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.decision.Approvers;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.summary.Waits;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The approval rules of an environment: only named approvers count, the requester never does, a
 * minimum number of distinct approvers, one rejection ends it, and a timeout whose outcome the
 * report states. Every decision received is recorded, accepted or not, with why.
 */
final class ApprovalGate {

  /** How long the gate waits when the environment file does not say. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  private final String project;
  private final EnvironmentDefinition environment;
  private final String requester;
  private final List<DecisionRecord> decisions = new ArrayList<>();
  private final List<String> approvedBy = new ArrayList<>();
  private String rejectedBy;
  private boolean open;
  private boolean closed;
  private Instant deadline;
  private DecisionSigning signing;

  ApprovalGate(String project, EnvironmentDefinition environment, String requester) {
    this.project = project;
    this.environment = environment;
    this.requester = requester;
  }

  /** Who may approve: the named approvers, less the requester. */
  List<String> eligible() {
    return Approvers.eligible(environment.approvers(), requester);
  }

  Duration timeout() {
    return environment.approvalTimeout() == null ? DEFAULT_TIMEOUT : environment.approvalTimeout();
  }

  /**
   * Waits for the approvals, calling {@code opened} once the gate accepts them. Returns the outcome;
   * the caller ends the deployment unless it {@link ApprovalVerdict#passes()}.
   */
  ApprovalOutcome await(Runnable opened) {
    if (!environment.requireApproval()) {
      return outcome(ApprovalVerdict.NOT_REQUIRED, null);
    }
    int required = environment.minApprovals();
    if (eligible().size() < required) {
      closed = true;
      return outcome(ApprovalVerdict.REJECTED, environment.name() + " needs " + required + " approval(s) but names only "
          + eligible().size() + " approver(s) other than the requester " + requester);
    }
    deadline = Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(timeout());
    open = true;
    opened.run();
    approvalsWaiting(1);
    boolean decided;
    try {
      decided = Waits.await(timeout(),
          "approval of " + environment.name() + ", up to " + DurationRange.written(timeout()),
          () -> rejectedBy != null || approvedBy.size() >= required);
    } finally {
      // A cancellation ends the wait too.
      approvalsWaiting(0);
    }
    open = false;
    closed = true;
    if (rejectedBy != null) {
      return outcome(ApprovalVerdict.REJECTED, "rejected by " + rejectedBy);
    }
    if (!decided) {
      return outcome(ApprovalVerdict.TIMED_OUT, "not approved within " + timeout() + ": " + approvedBy.size() + " of "
          + required + " approval(s) received");
    }
    return outcome(ApprovalVerdict.APPROVED, "approved by " + String.join(", ", approvedBy));
  }

  private void approvalsWaiting(int waiting) {
    Workflow.getMetricsScope()
        .tagged(Map.of(SiloMetrics.PROJECT, project, SiloMetrics.ENVIRONMENT, environment.name()))
        .gauge(SiloMetrics.RELEASE_APPROVALS_WAITING).update(waiting);
  }

  private ApprovalOutcome outcome(ApprovalVerdict outcome, String note) {
    return new ApprovalOutcome(environment.requireApproval(), List.copyOf(environment.approvers()),
        environment.minApprovals(), List.copyOf(approvedBy), outcome, note);
  }

  /** The gate while it waits, for the progress query; null when it does not wait. */
  PendingApproval pending() {
    if (!open) {
      return null;
    }
    return new PendingApproval(eligible(), environment.minApprovals(), List.copyOf(approvedBy), deadline.toString());
  }

  /**
   * Verifies decisions from now on: who decides is the principal of the key that signed, bound to
   * the plan hash; without it (runs started before decisions were signed) typed names count.
   */
  void signing(DecisionSigning decisionSigning) {
    this.signing = decisionSigning;
  }

  /** The hash of what the gate asks about; null without signing. */
  String planHash() {
    return signing == null ? null : signing.planHash();
  }

  /** Why the decision would not count now, or null when it would: an Update validator's question. */
  String refusal(String signal, Decision decision) {
    if (signing == null) {
      return legacyProblem(signal, decision);
    }
    return signedVerdict(signal, decision, false).refusal();
  }

  /** Takes a decision, applying it when it counts, and records it either way. */
  DecisionRecord take(String signal, Decision decision, String via) {
    if (signing == null) {
      if (signal.equals(EnvironmentDeploymentWorkflow.APPROVE)) {
        approve(decision);
      } else {
        reject(decision);
      }
      return decisions.get(decisions.size() - 1);
    }
    // An Update's signature was verified by its validator; a signal's is verified here.
    Verdict verdict = signedVerdict(signal, decision, "update".equals(via));
    String note;
    if (verdict.refusal() != null) {
      note = "ignored: " + verdict.refusal();
    } else if (signal.equals(EnvironmentDeploymentWorkflow.APPROVE)) {
      approvedBy.add(verdict.identity().actor());
      note = "approval " + approvedBy.size() + " of " + environment.minApprovals();
    } else {
      rejectedBy = verdict.identity().actor()
          + (decision.comment() == null || decision.comment().isBlank() ? "" : " (" + decision.comment() + ")");
      note = "the deployment is rejected";
    }
    DecisionRecord record = signing.record(signal, verdict.identity(), decision, verdict.refusal() == null, note, via);
    decisions.add(record);
    return record;
  }

  private record Verdict(DecisionCheck.Identity identity, String refusal) {}

  private Verdict signedVerdict(String signal, Decision decision, boolean verified) {
    boolean accepting = signal.equals(EnvironmentDeploymentWorkflow.APPROVE);
    if (!open) {
      return new Verdict(unidentified(decision),
          closed ? "the approval gate has closed" : "no approval is pending yet; approve once the gate opens");
    }
    if (rejectedBy != null) {
      return new Verdict(unidentified(decision), "already rejected by " + rejectedBy);
    }
    if (deadline != null && Workflow.currentTimeMillis() > deadline.toEpochMilli()) {
      return new Verdict(unidentified(decision), "the approval window closed at " + deadline);
    }
    DecisionCheck.Identity identity = signing.identify(DecisionSigning.GATE, signal, decision, verified);
    if (identity.refused()) {
      return new Verdict(identity, identity.refusal());
    }
    String problem = Approvers.problem(identity.actor(), environment.approvers(), requester, accepting,
        environment.name());
    if (problem == null && accepting && signing.requesterKey(identity)) {
      problem = identity.actor() + " signed with the key that started this release and cannot approve it";
    }
    if (problem == null && accepting && Approvers.named(approvedBy, identity.actor())) {
      problem = identity.actor() + " has already approved";
    }
    return new Verdict(identity, problem);
  }

  private static DecisionCheck.Identity unidentified(Decision decision) {
    return new DecisionCheck.Identity(decision == null ? null : decision.actor(), null,
        decision != null && decision.signed() ? DecisionRecord.INVALID : DecisionRecord.UNSIGNED, null);
  }

  private String legacyProblem(String signal, Decision decision) {
    String problem = problem(decision, signal);
    if (problem == null && signal.equals(EnvironmentDeploymentWorkflow.APPROVE)
        && Approvers.named(approvedBy, decision.actor())) {
      problem = decision.actor() + " has already approved";
    }
    return problem;
  }

  void approve(Decision decision) {
    String problem = legacyProblem(EnvironmentDeploymentWorkflow.APPROVE, decision);
    if (problem == null) {
      approvedBy.add(decision.actor());
    }
    record(EnvironmentDeploymentWorkflow.APPROVE, decision, problem,
        "approval " + (approvedBy.size()) + " of " + environment.minApprovals());
  }

  void reject(Decision decision) {
    String problem = problem(decision, EnvironmentDeploymentWorkflow.REJECT);
    if (problem == null) {
      rejectedBy = decision.actor() + (blank(decision.comment()) ? "" : " (" + decision.comment() + ")");
    }
    record(EnvironmentDeploymentWorkflow.REJECT, decision, problem, "the deployment is rejected");
  }

  private String problem(Decision decision, String signal) {
    if (decision == null || blank(decision.actor())) {
      return "a decision must name its actor";
    }
    if (!open) {
      return closed ? "the approval gate has closed" : "no approval is pending yet; approve once the gate opens";
    }
    return Approvers.problem(decision.actor(), environment.approvers(), requester,
        signal.equals(EnvironmentDeploymentWorkflow.APPROVE), environment.name());
  }

  private void record(String signal, Decision decision, String problem, String effect) {
    decisions.add(new DecisionRecord(signal, decision == null ? null : decision.actor(),
        decision == null ? null : decision.comment(), Instant.ofEpochMilli(Workflow.currentTimeMillis()),
        problem == null, problem == null ? effect : "ignored: " + problem));
  }

  List<DecisionRecord> decisions() {
    return List.copyOf(decisions);
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
