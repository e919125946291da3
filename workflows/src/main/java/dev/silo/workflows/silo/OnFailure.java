package dev.silo.workflows.silo;

/** What a deployment does when a step fails after its retries. */
public enum OnFailure {
  /** The run ends: the saga undoes what the runbook says to undo, the desk records {@code error}. */
  ABORT,
  /**
   * Guided failure: the run waits, NEEDS_ATTENTION, for a person's {@code retryStep}, {@code
   * skipStep} (containers only, as the runbook skips them) or {@code abortStep} (as {@link #ABORT}).
   */
  ASK
}
