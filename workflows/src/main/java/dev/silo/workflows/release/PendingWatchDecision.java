package dev.silo.workflows.release;

import dev.silo.workflows.decision.Approvers;
import java.util.List;

/**
 * A watch window that could not tell whether the version is healthy and waits for a person: the
 * {@code approve} signal accepts the version, {@code reject} rolls it back, and the deadline rolls
 * it back.
 *
 * @param reason why the window could not decide
 * @param deciders who may accept: the environment's approvers less the requester, as the approval
 *     gate counts them ({@link Approvers}); empty when the environment names no approvers and anyone
 *     but the requester may
 * @param deadline when the deployment rolls back if nobody decides, ISO-8601 UTC
 * @param readings the window's latest readings, oldest first
 */
public record PendingWatchDecision(
    String reason, List<String> deciders, String deadline, List<WatchReading> readings) {}
