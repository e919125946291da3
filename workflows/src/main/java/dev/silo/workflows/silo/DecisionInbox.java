package dev.silo.workflows.silo;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Receives the people's signals, decides whether each may take effect under the request's
 * approval policy, and records every one of them, accepted or not, for the audit trail.
 */
final class DecisionInbox {

  /** What the run is waiting for a person to decide. */
  enum Question {
    NONE,
    APPROVAL,
    BRANCH_OVERWRITE,
    DESK_RETRY
  }

  private final DeploymentProgress progress;
  private final String requester;
  private final ApprovalPolicy policy;
  private Question open = Question.NONE;
  private Boolean answer;

  DecisionInbox(DeploymentProgress progress, String requester, ApprovalPolicy policy) {
    this.progress = progress;
    this.requester = requester;
    this.policy = policy;
  }

  /**
   * Publishes the question and waits for an answer, or for the timeout when one is given.
   *
   * @return true when accepted, false when declined or, with a timeout, null when nobody answered
   */
  Boolean ask(StepName step, SiloStatus waitingStatus, Question question, String signal, String text,
      Duration timeout) {
    open = question;
    answer = null;
    Instant deadline = timeout == null ? null : progress.now().plus(timeout);
    List<String> allowed = question == Question.DESK_RETRY ? List.of() : policy.approvers();
    progress.await(step, waitingStatus, new PendingDecision(signal, text, deadline, allowed));
    if (timeout == null) {
      Workflow.await(() -> answer != null);
    } else {
      Workflow.await(timeout, () -> answer != null);
    }
    open = Question.NONE;
    progress.resume(SiloStatus.RUNNING);
    return answer;
  }

  void approve(Decision decision) {
    if (open != Question.APPROVAL) {
      ignore(SiloDeploymentWorkflow.APPROVE, decision, noneOpenNote(Question.APPROVAL));
      return;
    }
    String refusal = refusalToDecide(decision, false);
    if (refusal != null) {
      ignore(SiloDeploymentWorkflow.APPROVE, decision, refusal);
      return;
    }
    accept(SiloDeploymentWorkflow.APPROVE, decision, "plan approved", true);
  }

  void reject(Decision decision) {
    if (open != Question.APPROVAL && open != Question.BRANCH_OVERWRITE) {
      ignore(SiloDeploymentWorkflow.REJECT, decision, "nothing is waiting for approval");
      return;
    }
    // The requester may always withdraw their own run; approving it is what needs a second person.
    String refusal = refusalToDecide(decision, true);
    if (refusal != null) {
      ignore(SiloDeploymentWorkflow.REJECT, decision, refusal);
      return;
    }
    String note = open == Question.APPROVAL ? "plan rejected" : "branch overwrite declined";
    accept(SiloDeploymentWorkflow.REJECT, decision, note, false);
  }

  void confirmBranchOverwrite(Decision decision) {
    if (open != Question.BRANCH_OVERWRITE) {
      ignore(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, decision, noneOpenNote(Question.BRANCH_OVERWRITE));
      return;
    }
    String refusal = refusalToDecide(decision, false);
    if (refusal != null) {
      ignore(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, decision, refusal);
      return;
    }
    accept(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, decision, "branch overwrite confirmed", true);
  }

  void retryDesk(Decision decision) {
    if (open != Question.DESK_RETRY) {
      ignore(SiloDeploymentWorkflow.RETRY_DESK, decision, noneOpenNote(Question.DESK_RETRY));
      return;
    }
    if (isBlank(decision)) {
      ignore(SiloDeploymentWorkflow.RETRY_DESK, decision, "the signal names no actor");
      return;
    }
    accept(SiloDeploymentWorkflow.RETRY_DESK, decision, "desk updates retried", true);
  }

  private String refusalToDecide(Decision decision, boolean requesterMay) {
    if (isBlank(decision)) {
      return "the signal names no actor";
    }
    String actor = decision.actor();
    boolean isRequester = Objects.equals(actor, requester);
    if (isRequester && requesterMay) {
      return null;
    }
    if (!policy.approvers().isEmpty() && !policy.approvers().contains(actor)) {
      return actor + " is not an allowed approver (allowed: " + String.join(", ", policy.approvers()) + ")";
    }
    if (isRequester && !policy.allowSelfApproval()) {
      return actor + " requested this run and may not approve it";
    }
    return null;
  }

  private String noneOpenNote(Question expected) {
    if (open == Question.NONE && expected == Question.APPROVAL && progress.plan() == null) {
      return "the plan is not published yet; review it with 'silo status' and approve then";
    }
    return "nothing is waiting for " + switch (expected) {
      case APPROVAL -> "approval";
      case BRANCH_OVERWRITE -> "a branch overwrite confirmation";
      case DESK_RETRY -> "a desk retry";
      case NONE -> "a decision";
    };
  }

  private static boolean isBlank(Decision decision) {
    return decision == null || decision.actor() == null || decision.actor().isBlank();
  }

  private void accept(String signal, Decision decision, String note, boolean value) {
    progress.decision(new DecisionRecord(signal, decision.actor(), decision.comment(), progress.now(), true, note));
    answer = value;
  }

  private void ignore(String signal, Decision decision, String note) {
    String actor = decision == null ? null : decision.actor();
    String comment = decision == null ? null : decision.comment();
    progress.decision(new DecisionRecord(signal, actor, comment, progress.now(), false, "ignored: " + note));
  }
}
