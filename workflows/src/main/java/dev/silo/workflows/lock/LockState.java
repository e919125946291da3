package dev.silo.workflows.lock;

import java.util.List;

/**
 * What a lock carries into its next run when it continues as new.
 *
 * @param holder who holds the environment, or null
 * @param waiting who waits, in order
 * @param previousHolder the last workflow that released it, or null
 */
public record LockState(LockRequest holder, List<LockRequest> waiting, String previousHolder) {

  /** A free environment with nobody waiting. */
  public static LockState free() {
    return new LockState(null, List.of(), null);
  }
}
