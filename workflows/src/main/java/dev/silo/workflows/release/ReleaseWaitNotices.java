package dev.silo.workflows.release;

import dev.silo.workflows.decision.AnswerCommands;
import dev.silo.workflows.notify.WaitNotifier;
import dev.silo.workflows.notify.WaitQuestion;
import java.time.Instant;

/**
 * The environment deployment's side of {@link WaitNotifier}: the approval gate and a watch window
 * that could not decide are told when they start waiting, with who may answer and the commands,
 * and again when the wait ends, with how.
 */
final class ReleaseWaitNotices {

  private final WaitNotifier notifier = new WaitNotifier();
  private final EnvironmentDeploymentRequest request;

  ReleaseWaitNotices(EnvironmentDeploymentRequest request) {
    this.request = request;
  }

  void approvalAsked(PendingApproval pending) {
    notifier.asked(new WaitQuestion("approval", subject(),
        "approve " + request.project() + " " + request.version() + " for " + request.environment() + "? ("
            + pending.required() + " approval(s) needed, requested by " + request.requester() + ")",
        pending.approvers(), AnswerCommands.release(request.project(), request.environment()),
        Instant.parse(pending.deadline())));
  }

  void watchAsked(PendingWatchDecision pending) {
    notifier.asked(new WaitQuestion("watch-decision", subject(),
        "the watch window could not tell whether " + request.version() + " is healthy (" + pending.reason()
            + "): accept the version or roll it back? Nobody deciding rolls it back.",
        pending.deciders(), AnswerCommands.watch(request.project(), request.environment()),
        Instant.parse(pending.deadline())));
  }

  /** Tells how the open question ended; does nothing when none is open. */
  void answered(String how) {
    notifier.answered(how);
  }

  void settle() {
    notifier.settle();
  }

  private String subject() {
    return "release " + request.project() + " " + request.version() + " to " + request.environment();
  }
}
