package dev.silo.workflows.lock;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What a workflow cannot do itself: start the lock and signal it in one call. */
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
}
