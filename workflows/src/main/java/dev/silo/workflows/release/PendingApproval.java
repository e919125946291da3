package dev.silo.workflows.release;

import java.util.List;

/**
 * The approval gate while it waits.
 *
 * @param approvers who may approve (the requester excluded)
 * @param required how many distinct approvers must approve
 * @param approvedBy who has approved so far
 * @param deadline when the gate gives up, ISO-8601
 */
public record PendingApproval(List<String> approvers, int required, List<String> approvedBy, String deadline) {}
