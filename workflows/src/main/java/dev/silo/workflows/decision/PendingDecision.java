package dev.silo.workflows.decision;

import java.time.Instant;
import java.util.List;

/**
 * A decision the run is waiting for.
 *
 * @param signal the signal that answers it ({@code approve}/{@code reject}, {@code
 *     confirmBranchOverwrite}, {@code retryDesk})
 * @param question what is asked, in one line
 * @param deadline when the wait ends, or null when it waits until answered
 * @param allowedActors who may answer; empty means anyone
 * @param id which of the run's questions this is ({@code approval-1}, {@code branch-overwrite-1},
 *     {@code desk-retry-2}, ...), which a signed decision names so that it answers this question
 *     only; null in runs started before decisions were signed
 */
public record PendingDecision(String signal, String question, Instant deadline, List<String> allowedActors,
    String id) {

  /** A question of a run started before decisions were signed. */
  public PendingDecision(String signal, String question, Instant deadline, List<String> allowedActors) {
    this(signal, question, deadline, allowedActors, null);
  }
}
