package dev.silo.workflows.drift;

/** How a drift check ended. */
public enum CheckOutcome {
  /** Everything compared matches what the last deployment recorded. */
  IN_SYNC,
  /** At least one item drifted. */
  DRIFTED,
  /** Nothing drifted among what could be read, but a system could not be read. */
  INCOMPLETE,
  /** No deployment of the silo completed DEPLOYED: there is nothing to compare with. */
  NEVER_DEPLOYED,
  /** The silo's deployment is running; the check compared nothing, since the silo is changing. */
  DEPLOYMENT_RUNNING
}
