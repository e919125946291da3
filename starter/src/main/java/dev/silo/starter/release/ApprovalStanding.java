package dev.silo.starter.release;

import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.decision.Approvers;
import dev.silo.workflows.release.PendingApproval;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an environment's approval gate stands: who may approve, how many must, who has.
 *
 * @param approvers who may approve (the requester excluded)
 * @param required how many distinct approvers must approve
 * @param approvedBy who has approved so far
 * @param deadline when the gate gives up, ISO-8601, or null
 */
record ApprovalStanding(List<String> approvers, int required, List<String> approvedBy, String deadline) {

  ApprovalStanding {
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
  }

  static ApprovalStanding of(PendingApproval pending) {
    return new ApprovalStanding(pending.approvers(), pending.required(), pending.approvedBy(), pending.deadline());
  }

  /** Whether an approval from {@code actor} counts: a named approver who has not approved yet. */
  boolean counts(String actor) {
    return Approvers.named(approvers, actor) && !Approvers.named(approvedBy, actor);
  }

  /** The standing once {@code actor}'s approval is counted, when it counts. */
  ApprovalStanding approvedBy(String actor) {
    if (!counts(actor)) {
      return this;
    }
    List<String> approved = new ArrayList<>(approvedBy);
    approved.add(actor);
    return new ApprovalStanding(approvers, required, approved, deadline);
  }

  /** How many more approvals the gate waits for. */
  int stillNeeded() {
    return Math.max(0, required - approvedBy.size());
  }

  /** The approvers who have not approved yet. */
  List<String> notYetApproved() {
    return approvers.stream().filter(name -> !Approvers.named(approvedBy, name)).toList();
  }

  /** {@code 1 of 2 approvals (alice); still needed: 1 more from carol, dave; until 2026-11-23 13:20:35Z}. */
  String describe() {
    StringBuilder text = new StringBuilder();
    text.append(approvedBy.size()).append(" of ").append(required).append(required == 1 ? " approval" : " approvals");
    if (!approvedBy.isEmpty()) {
      text.append(" (").append(String.join(", ", approvedBy)).append(')');
    }
    if (stillNeeded() == 0) {
      text.append(": none still needed");
    } else {
      text.append("; still needed: ").append(stillNeeded()).append(approvedBy.isEmpty() ? "" : " more")
          .append(" from ").append(notYetApproved().isEmpty() ? "nobody left" : String.join(", ", notYetApproved()));
    }
    if (deadline != null) {
      text.append("; until ").append(TextStyle.time(deadline));
    }
    return text.toString();
  }
}
