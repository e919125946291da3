package dev.silo.workflows.silo;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.decision.Approvers;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.decision.PendingDecision;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionCheck.Identity;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.signing.DecisionRefusedException;
import dev.silo.workflows.summary.Waits;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Receives the people's decisions, as Updates or as signals, decides whether each may take effect
 * under the request's approval policy and the worker's trust, and records every one that reaches
 * the run, accepted or not, for the audit trail.
 *
 * <p>An Update that may not take effect is refused by its validator: the sender gets the reason and
 * nothing enters the history. A signal cannot be refused, so it is ignored and recorded.
 *
 * <p>A run started since decisions are signed holds a copy of the worker's allowed signers ({@link
 * #trust}): with a file, the actor of a decision is the principal its key maps to and an unsigned
 * decision is refused unless the silo admits it; without one, the typed name counts and the record
 * says unsigned. A run started before keeps its rules: typed names, compared as typed.
 *
 * <p>It is one unit over 300 lines because the verdict on a decision (who sent it, whether its
 * question is open, whether the policy lets that person decide) must be the same for the Update's
 * validator, the Update and the signal.
 */
final class DecisionInbox {

  /** The failure type of an Update the validator refuses. */
  static final String REFUSED = "DECISION_REFUSED";

  /** What the run is waiting for a person to decide. */
  enum Question {
    NONE,
    APPROVAL,
    BRANCH_OVERWRITE,
    DESK_RETRY,
    /** Guided failure: retry, skip or abort a step that failed after its retries. */
    STEP_FAILURE
  }

  /** What a decision would do: its sender and why it may not count, or what it means. */
  private record Verdict(Identity identity, String refusal, String effect, boolean value) {}

  private final DeploymentProgress progress;
  private final String typedRequester;
  private final ApprovalPolicy policy;
  private AllowedSigners trust;
  private Identity requester;
  private boolean unsignedAdmitted;
  private Question open = Question.NONE;
  private Instant deadline;
  private Boolean answer;
  private String answeredBy;
  /** The kind of the decision that answered the last question: which way a step failure went. */
  private String answeredKind;
  /** The failed step the open question is about, under guided failure; null otherwise. */
  private FailedStep failure;
  private String questionId;
  private int asked;

  DecisionInbox(DeploymentProgress progress, String requester, ApprovalPolicy policy) {
    this.progress = progress;
    this.typedRequester = requester;
    this.policy = policy;
  }

  /**
   * Verifies decisions against the worker's allowed signers from now on.
   *
   * @param allowedSigners the run's copy of them
   * @param requesterIdentity who started the run, as its start signature says
   */
  void trust(AllowedSigners allowedSigners, Identity requesterIdentity) {
    this.trust = allowedSigners;
    this.requester = requesterIdentity;
  }

  /** Whether the silo's config admits unsigned decisions. */
  void admitUnsigned(boolean admitted) {
    this.unsignedAdmitted = admitted;
  }

  /** Who requested the run: the principal of their key, or the name they typed. */
  String requester() {
    return requester == null ? typedRequester : requester.actor();
  }

  /**
   * Publishes the question and waits for an answer, or for the timeout when one is given.
   *
   * @return true when accepted, false when declined or, with a timeout, null when nobody answered
   */
  Boolean ask(StepName step, SiloStatus waitingStatus, Question question, String signal, String text,
      Duration timeout) {
    awaitNoQuestionOpen();
    open = question;
    answer = null;
    answeredBy = null;
    asked++;
    questionId = trust == null ? null : question.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + asked;
    deadline = timeout == null ? null : progress.now().plus(timeout);
    List<String> allowed = question == Question.DESK_RETRY ? List.of() : policy.approvers();
    progress.await(step, waitingStatus, new PendingDecision(signal, text, deadline, allowed, questionId));
    if (timeout == null) {
      Workflow.await(() -> answer != null);
    } else {
      Waits.await(timeout, waitSummary(question, timeout), () -> answer != null);
    }
    open = Question.NONE;
    deadline = null;
    progress.resume(SiloStatus.RUNNING);
    return answer;
  }

  /**
   * Guided failure: publishes the failed step and waits, NEEDS_ATTENTION and without a deadline, for
   * a person to retry it, skip it (where {@link FailedStep#skippable()}) or abort the run.
   *
   * @return the kind of the decision taken: {@code retryStep}, {@code skipStep} or {@code abortStep}
   */
  String askStepFailure(FailedStep failed, String text) {
    awaitNoQuestionOpen();
    failure = failed;
    progress.failure(failed);
    try {
      ask(failed.step(), SiloStatus.NEEDS_ATTENTION, Question.STEP_FAILURE, SiloDeploymentWorkflow.RETRY_STEP, text,
          null);
    } finally {
      failure = null;
    }
    return answeredKind;
  }

  /**
   * One question is open at a time: under guided failure, a step that fails or asks beside another
   * that waits asks after it. Only then does the run wait here, so runs without guided failure, which
   * never ask two questions at once, replay as they ran.
   */
  private void awaitNoQuestionOpen() {
    if (open != Question.NONE) {
      Workflow.await(() -> open == Question.NONE);
    }
  }

  /** Closes a question whose wait was cancelled, so later decisions are refused; says whether one was open. */
  boolean withdraw() {
    boolean wasOpen = open != Question.NONE;
    open = Question.NONE;
    deadline = null;
    return wasOpen;
  }

  /** Throws, for an Update's validator, when the decision may not take effect. */
  void validate(String kind, Decision decision) {
    Verdict verdict = verdict(kind, decision, false);
    if (verdict.refusal() != null) {
      // Nothing of a refused Update enters the history; the worker's log keeps the attempt.
      Identity identity = verdict.identity();
      Workflow.getLogger(DecisionInbox.class).warn("decision refused: workflow={} kind={} actor={} fingerprint={}"
              + " signature={} plan={} reason={}", Workflow.getInfo().getWorkflowId(), kind,
          identity == null ? actorOf(decision) : identity.actor(), identity == null ? null : identity.fingerprint(),
          identity == null ? null : identity.signature(), decision == null ? null : decision.planHash(),
          verdict.refusal());
      throw new DecisionRefusedException(verdict.refusal());
    }
  }

  /**
   * Takes an Update's decision. The validator accepted it; should the run have moved on since (two
   * decisions in one task), it is recorded as ignored and the sender gets the reason.
   */
  DecisionRecord update(String kind, Decision decision) {
    DecisionRecord record = take(kind, decision, "update", true);
    if (!record.accepted()) {
      throw ApplicationFailure.newNonRetryableFailure(record.note().replaceFirst("^ignored: ", ""), REFUSED);
    }
    return record;
  }

  /** Takes a signal's decision: applied when allowed, otherwise ignored, and recorded either way. */
  void signal(String kind, Decision decision) {
    take(kind, decision, "signal", false);
  }

  private DecisionRecord take(String kind, Decision decision, String via, boolean verified) {
    Verdict verdict = verdict(kind, decision, verified);
    Identity identity = verdict.identity();
    boolean accepted = verdict.refusal() == null;
    DecisionRecord record = new DecisionRecord(kind, identity == null ? actorOf(decision) : identity.actor(),
        decision == null ? null : decision.comment(), progress.now(), accepted,
        accepted ? verdict.effect() : "ignored: " + verdict.refusal(),
        trust == null ? null : via,
        identity == null ? null : identity.fingerprint(),
        trust == null ? null : progress.planHash(),
        identity == null ? null : identity.signature());
    progress.decision(record);
    if (accepted) {
      answer = verdict.value();
      answeredBy = record.actor();
      answeredKind = kind;
    }
    return record;
  }

  /**
   * @param verified whether an Update validator verified the signature already: the accepted
   *     Update is then applied without checking it against this run's ID again
   */
  private Verdict verdict(String kind, Decision decision, boolean verified) {
    String closed = closedFor(kind);
    if (closed != null) {
      return new Verdict(null, closed, null, false);
    }
    // Runs started before decisions were signed keep their rules: a second answer in one workflow
    // task overwrote the first, and an answer in the task of the timeout counted.
    if (trust != null && answer != null) {
      return new Verdict(null, "already decided by " + answeredBy, null, false);
    }
    if (trust != null && deadline != null && progress.now().isAfter(deadline)) {
      return new Verdict(null, "the decision window closed at " + deadline, null, false);
    }
    Identity identity = identify(kind, decision, verified);
    if (identity.refused()) {
      return new Verdict(identity, identity.refusal(), null, false);
    }
    String effect;
    boolean value;
    String refusal = null;
    switch (kind) {
      case SiloDeploymentWorkflow.APPROVE -> {
        effect = "plan approved";
        value = true;
        refusal = refusalToDecide(identity, false);
      }
      case SiloDeploymentWorkflow.REJECT -> {
        effect = open == Question.APPROVAL ? "plan rejected" : "branch overwrite declined";
        value = false;
        // The requester may always withdraw their own run; approving it is what needs a second person.
        refusal = refusalToDecide(identity, true);
      }
      case SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE -> {
        effect = "branch overwrite confirmed";
        value = true;
        refusal = refusalToDecide(identity, false);
      }
      case SiloDeploymentWorkflow.RETRY_STEP -> {
        effect = failure.step() + " retried";
        value = true;
        refusal = refusalToDecide(identity, false);
      }
      case SiloDeploymentWorkflow.SKIP_STEP -> {
        effect = failure.step() + " skipped";
        value = true;
        refusal = failure.skippable() ? refusalToDecide(identity, false)
            : "skip is not allowed for " + failure.step() + ": the runbook skips only containers (DOCKER) and goes"
                + " on without them; retry the step or abort the run";
      }
      case SiloDeploymentWorkflow.ABORT_STEP -> {
        effect = "run aborted at " + failure.step();
        value = false;
        // Like a rejection, stopping the requester's own run needs no second person.
        refusal = refusalToDecide(identity, true);
      }
      default -> {
        effect = "desk updates retried";
        value = true;
      }
    }
    return new Verdict(identity, refusal, effect, value);
  }

  /** Why the run takes no decision of this kind now, or null when it waits for one. */
  private String closedFor(String kind) {
    boolean waits = switch (kind) {
      case SiloDeploymentWorkflow.APPROVE -> open == Question.APPROVAL;
      case SiloDeploymentWorkflow.REJECT -> open == Question.APPROVAL || open == Question.BRANCH_OVERWRITE;
      case SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE -> open == Question.BRANCH_OVERWRITE;
      case SiloDeploymentWorkflow.RETRY_DESK -> open == Question.DESK_RETRY;
      case SiloDeploymentWorkflow.RETRY_STEP, SiloDeploymentWorkflow.SKIP_STEP, SiloDeploymentWorkflow.ABORT_STEP ->
          open == Question.STEP_FAILURE;
      default -> false;
    };
    if (waits) {
      return null;
    }
    if (kind.equals(SiloDeploymentWorkflow.REJECT)) {
      return "nothing is waiting for approval";
    }
    Question expected = switch (kind) {
      case SiloDeploymentWorkflow.APPROVE -> Question.APPROVAL;
      case SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE -> Question.BRANCH_OVERWRITE;
      case SiloDeploymentWorkflow.RETRY_DESK -> Question.DESK_RETRY;
      case SiloDeploymentWorkflow.RETRY_STEP, SiloDeploymentWorkflow.SKIP_STEP, SiloDeploymentWorkflow.ABORT_STEP ->
          Question.STEP_FAILURE;
      default -> Question.NONE;
    };
    if (open == Question.NONE && expected == Question.APPROVAL && progress.plan() == null
        && progress.planHash() == null) {
      return "the plan is not published yet; review it with 'silo status' and approve then";
    }
    return "nothing is waiting for " + switch (expected) {
      case APPROVAL -> "approval";
      case BRANCH_OVERWRITE -> "a branch overwrite confirmation";
      case DESK_RETRY -> "a desk retry";
      case STEP_FAILURE -> "a decision on a failed step";
      case NONE -> "a decision named '" + kind + "'";
    };
  }

  private Identity identify(String kind, Decision decision, boolean verified) {
    if (trust == null) {
      if (isBlank(decision)) {
        return new Identity(null, null, null, "the signal names no actor");
      }
      return new Identity(decision.actor(), null, null, null);
    }
    if (decision == null) {
      return new Identity(null, null, DecisionRecord.UNSIGNED, "the decision is empty");
    }
    return DecisionCheck.decision(trust, unsignedAdmitted, Workflow.getInfo().getWorkflowId(),
        DecisionCheck.runIdsOfThisRun(), progress.planHash(), questionId, kind, decision.actor(), decision.comment(),
        decision.planHash(), decision.signature(), verified);
  }

  private String refusalToDecide(Identity identity, boolean requesterMay) {
    String actor = identity.actor();
    boolean isRequester = isRequester(identity);
    if (isRequester && requesterMay) {
      return null;
    }
    if (!policy.approvers().isEmpty() && !named(actor)) {
      return actor + " is not an allowed approver (allowed: " + String.join(", ", policy.approvers()) + ")";
    }
    if (isRequester && !policy.allowSelfApproval()) {
      return identity.fingerprint() != null && requester != null && requester.fingerprint() != null
          ? actor + " requested this run (same key or principal) and may not approve it"
          : actor + " requested this run and may not approve it";
    }
    return null;
  }

  private boolean isRequester(Identity identity) {
    if (trust == null) {
      return Objects.equals(identity.actor(), typedRequester);
    }
    if (requester != null && requester.fingerprint() != null && identity.fingerprint() != null
        && requester.fingerprint().equals(identity.fingerprint())) {
      return true;
    }
    return Approvers.same(identity.actor(), requester());
  }

  private boolean named(String actor) {
    if (trust == null) {
      return policy.approvers().contains(actor);
    }
    return Approvers.named(policy.approvers(), actor);
  }

  private static String actorOf(Decision decision) {
    return decision == null ? null : decision.actor();
  }

  private static boolean isBlank(Decision decision) {
    return decision == null || decision.actor() == null || decision.actor().isBlank();
  }

  /** The summary of the timer that ends a question nobody answers. */
  private static String waitSummary(Question question, Duration timeout) {
    String what = switch (question) {
      case APPROVAL -> "approval of the plan";
      case BRANCH_OVERWRITE -> "decision on overwriting the branch";
      case DESK_RETRY -> "decision on retrying the desk";
      case STEP_FAILURE -> "decision on a failed step";
      case NONE -> "answer";
    };
    return what + ", up to " + DurationRange.written(timeout);
  }
}
