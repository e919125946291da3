package dev.silo.workflows.release;

import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.silo.Decision;
import dev.silo.workflows.silo.DecisionRecord;
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
   * the caller ends the deployment unless it is {@code APPROVED} or {@code NOT_REQUIRED}.
   */
  ApprovalOutcome await(Runnable opened) {
    if (!environment.requireApproval()) {
      return outcome("NOT_REQUIRED", null);
    }
    int required = environment.minApprovals();
    if (eligible().size() < required) {
      closed = true;
      return outcome("REJECTED", environment.name() + " needs " + required + " approval(s) but names only "
          + eligible().size() + " approver(s) other than the requester " + requester);
    }
    deadline = Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(timeout());
    open = true;
    opened.run();
    approvalsWaiting(1);
    boolean decided;
    try {
      decided = Workflow.await(timeout(), () -> rejectedBy != null || approvedBy.size() >= required);
    } finally {
      // A cancellation ends the wait too.
      approvalsWaiting(0);
    }
    open = false;
    closed = true;
    if (rejectedBy != null) {
      return outcome("REJECTED", "rejected by " + rejectedBy);
    }
    if (!decided) {
      return outcome("TIMED_OUT", "not approved within " + timeout() + ": " + approvedBy.size() + " of "
          + required + " approval(s) received");
    }
    return outcome("APPROVED", "approved by " + String.join(", ", approvedBy));
  }

  private void approvalsWaiting(int waiting) {
    Workflow.getMetricsScope()
        .tagged(Map.of(SiloMetrics.PROJECT, project, SiloMetrics.ENVIRONMENT, environment.name()))
        .gauge(SiloMetrics.RELEASE_APPROVALS_WAITING).update(waiting);
  }

  private ApprovalOutcome outcome(String outcome, String note) {
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

  void approve(Decision decision) {
    String problem = problem(decision, EnvironmentDeploymentWorkflow.APPROVE);
    if (problem == null && Approvers.named(approvedBy, decision.actor())) {
      problem = decision.actor() + " has already approved";
    }
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
