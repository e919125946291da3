package dev.silo.workflows.silo;

import dev.silo.workflows.decision.AnswerCommands;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.decision.PendingDecision;
import dev.silo.workflows.notify.WaitNotifier;
import dev.silo.workflows.notify.WaitQuestion;
import java.time.Instant;
import java.util.List;

/**
 * The silo deployment's side of {@link WaitNotifier}: every question {@link DeploymentProgress}
 * shows as waiting (the plan's approval, a branch overwrite, a desk retry, a failed step) is told
 * when it is asked, with the commands that answer it, and again when it ends, with how.
 */
final class SiloWaitNotices {

  private final WaitNotifier notifier = new WaitNotifier();
  private SiloNames names;
  /** How many decisions the run had received when the open question was asked. */
  private int decisionsBefore;
  private Instant deadline;

  void identify(SiloNames siloNames) {
    this.names = siloNames;
  }

  void asked(PendingDecision pending, int decisionsSoFar) {
    decisionsBefore = decisionsSoFar;
    deadline = pending.deadline();
    String subject = names == null ? "silo deployment" : "silo " + names.siloId();
    List<String> commands = names == null ? List.of("send the signal '" + pending.signal() + "' from the Web UI")
        : AnswerCommands.silo(names.client(), names.app(), pending.signal());
    notifier.asked(new WaitQuestion(pending.id(), subject, pending.question(), pending.allowedActors(), commands,
        pending.deadline()));
  }

  /**
   * Tells how the open question ended: the decision accepted since it was asked, else the run's
   * cancellation, the deadline, or the run stopping for another reason.
   */
  void answered(SiloStatus status, List<DecisionRecord> decisions, Instant now) {
    notifier.answered(how(status, decisions, now));
  }

  void settle() {
    notifier.settle();
  }

  private String how(SiloStatus status, List<DecisionRecord> decisions, Instant now) {
    for (int i = decisions.size() - 1; i >= decisionsBefore; i--) {
      DecisionRecord decision = decisions.get(i);
      if (decision.accepted()) {
        String comment = decision.comment() == null || decision.comment().isBlank() ? "" : " (" + decision.comment()
            + ")";
        return decision.note() + " by " + decision.actor() + comment;
      }
    }
    if (status == SiloStatus.CANCELLED) {
      return "the run was cancelled before anyone answered";
    }
    if (deadline != null && !now.isBefore(deadline)) {
      return "timed out: nobody answered by " + deadline;
    }
    return "withdrawn: the run stopped before anyone answered";
  }
}
