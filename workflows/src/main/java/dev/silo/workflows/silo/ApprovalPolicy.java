package dev.silo.workflows.silo;

import java.time.Duration;
import java.util.List;

/**
 * Who may decide for a run, and how long the run waits for them.
 *
 * @param approvers the people allowed to approve, reject and confirm; empty means anyone
 * @param allowSelfApproval whether the requester may approve their own run
 * @param timeout how long to wait for a decision (default 24 hours)
 */
public record ApprovalPolicy(List<String> approvers, boolean allowSelfApproval, Duration timeout) {

  /** The runbook's default wait for a human decision. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  public ApprovalPolicy {
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** Anyone but the requester may decide, within 24 hours. */
  public static ApprovalPolicy defaults() {
    return new ApprovalPolicy(List.of(), false, DEFAULT_TIMEOUT);
  }
}
