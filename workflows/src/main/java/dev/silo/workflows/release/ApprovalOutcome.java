package dev.silo.workflows.release;

import java.util.List;

/**
 * How the approval gate ended.
 *
 * @param required whether the environment requires approval
 * @param approvers who could approve
 * @param minApprovals how many were needed
 * @param approvedBy who approved, in order
 * @param outcome how the gate ended
 * @param note who rejected and why, or how long the gate waited before it timed out
 */
public record ApprovalOutcome(
    boolean required,
    List<String> approvers,
    int minApprovals,
    List<String> approvedBy,
    ApprovalVerdict outcome,
    String note) {}
