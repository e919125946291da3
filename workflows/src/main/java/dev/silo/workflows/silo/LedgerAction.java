package dev.silo.workflows.silo;

/** What a run did to one thing in one system, as the run recorded it when the answer came. */
public enum LedgerAction {
  /** This run created it. */
  CREATED,
  /**
   * It was already there; this run left it as it was (a container found stopped is started, which
   * is what making sure it runs means).
   */
  FOUND,
  /** It was there; this run changed it (a force-pushed branch, a desk status written). */
  UPDATED,
  /**
   * This run made sure it is there and running, and the answer it recorded does not say whether it
   * was there before: a container whose result a worker recorded before container results said so
   * (a run in progress across that upgrade, or a report rebuilt from its history). Newer results
   * give {@link #CREATED} or {@link #FOUND}.
   */
  ENSURED,
  /** This run created it, then removed it when the deployment stopped (the saga's compensation). */
  REMOVED,
  /** This run tried and it is not there or not right; the detail says why. */
  FAILED,
  /** This run did not attempt it; the detail says why. */
  SKIPPED
}
