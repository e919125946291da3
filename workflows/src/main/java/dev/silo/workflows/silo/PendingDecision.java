package dev.silo.workflows.silo;

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
 */
public record PendingDecision(String signal, String question, Instant deadline, List<String> allowedActors) {}
