package dev.silo.workflows.power;

/** Where a power run is; also the {@code SiloStatus} search attribute of its run. */
public enum PowerStatus {
  /** Stopping or starting. */
  RUNNING,
  /** Every container and machine is as asked, and the desk says so. */
  DONE,
  /** Something was left not as asked; the audit's failed entries say what. */
  FAILED,
  /** Nothing was done: the silo was never deployed, or the request is not valid. */
  REFUSED
}
