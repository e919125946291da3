package dev.silo.workflows.silo;

import dev.silo.workflows.decision.DecisionRecord;
import java.util.List;

/**
 * How a teardown ended: what went, what stayed, and every decision received.
 *
 * @param siloId {@code {client}-{app}}
 * @param status {@link SiloStatus#DESTROYED}, {@link SiloStatus#ABORTED} (rejected, not approved
 *     in time: nothing removed) or {@link SiloStatus#ERROR} (a removal failed; a new run resumes)
 * @param planHash the hash of the plan approved or refused
 * @param removed what this run removed, one line each ({@code container x}, {@code Fly app y}, ...)
 * @param kept what stays, one line each, with why
 * @param error why the run stopped; null when it did not
 * @param decisions every decision received
 */
public record TeardownReport(
    String siloId,
    SiloStatus status,
    String planHash,
    List<String> removed,
    List<String> kept,
    String error,
    List<DecisionRecord> decisions) {

  public TeardownReport {
    removed = removed == null ? List.of() : List.copyOf(removed);
    kept = kept == null ? List.of() : List.copyOf(kept);
    decisions = decisions == null ? List.of() : List.copyOf(decisions);
  }
}
