package dev.silo.workflows.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What a silo's lifecycle workflows read and change on the worker's own Temporal server: whether
 * another run of a silo is open, and the silo's Temporal Schedules. The worker's client does it; no
 * credential is an argument.
 */
@ActivityInterface
public interface TemporalActivities {

  /**
   * Tells whether a workflow ID has an open run. Read-only, hence idempotent: a retry asks again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     server cannot be reached
   */
  @ActivityMethod
  WorkflowRunning siloWorkflowRunning(WorkflowRunningRequest request);

  /**
   * Deletes a Temporal Schedule. Idempotent: a schedule that does not exist is success with {@code
   * existed = false}, so a retry after a lost reply, or a re-run, succeeds.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     server cannot be reached
   */
  @ActivityMethod
  ScheduleDeleted deleteSiloSchedule(DeleteScheduleRequest request);
}
