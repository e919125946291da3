package dev.silo.workflows.lock;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What a workflow cannot do itself: start the lock and signal it in one call, and see whether
 * another workflow still runs.
 */
@ActivityInterface
public interface LockActivities {

  /**
   * Signals {@link EnvironmentLockWorkflow#acquire} with start: starts the lock when it does not
   * run. Idempotent: the lock ignores a second request from the same workflow (and tells a holder
   * again), so a retry queues nothing twice.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     Temporal service cannot be reached
   */
  @ActivityMethod
  void requestLock(LockAcquisition acquisition);

  /**
   * Whether the workflow still runs, so the lock can pass over a holder or a waiting deployment
   * that was terminated or timed out without giving the environment back. Read-only.
   *
   * @return false when the workflow has closed or does not exist
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     Temporal service cannot be reached
   */
  @ActivityMethod
  boolean isRunning(String workflowId);
}
