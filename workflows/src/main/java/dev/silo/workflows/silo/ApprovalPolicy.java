package dev.silo.workflows.silo;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.decision.DecisionTimeouts;
import java.time.Duration;
import java.util.List;

/**
 * Who may decide for a run, and how long the run waits for them.
 *
 * @param approvers the people allowed to approve, reject and confirm; empty means anyone
 * @param allowSelfApproval whether the requester may approve their own run
 * @param timeout how long to wait for a decision (default 24 hours), from {@link #MIN_TIMEOUT} to
 *     {@link #MAX_TIMEOUT}: the workflow refuses any other as {@code INVALID_REQUEST}
 */
public record ApprovalPolicy(List<String> approvers, boolean allowSelfApproval, Duration timeout) {

  /** The runbook's default wait for a human decision. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  /** The shortest wait for a decision ({@link DecisionTimeouts#MIN}). */
  public static final Duration MIN_TIMEOUT = DecisionTimeouts.MIN;

  /** The longest wait for a decision ({@link DecisionTimeouts#MAX}). */
  public static final Duration MAX_TIMEOUT = DecisionTimeouts.MAX;

  /** The range of {@link #MIN_TIMEOUT} to {@link #MAX_TIMEOUT}. */
  public static final DurationRange TIMEOUT_RANGE = DecisionTimeouts.RANGE;

  public ApprovalPolicy {
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** Whether a wait for a decision is within {@link #MIN_TIMEOUT} and {@link #MAX_TIMEOUT}. */
  public static boolean timeoutInRange(Duration timeout) {
    return TIMEOUT_RANGE.contains(timeout);
  }

  /** Anyone but the requester may decide, within 24 hours. */
  public static ApprovalPolicy defaults() {
    return new ApprovalPolicy(List.of(), false, DEFAULT_TIMEOUT);
  }
}
