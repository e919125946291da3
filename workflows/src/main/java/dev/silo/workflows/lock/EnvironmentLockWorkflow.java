package dev.silo.workflows.lock;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The queue of deployments of one project to one environment: one holds the environment, the
 * others wait in the order they asked, and none is ever cancelled. Workflow ID {@link
 * #workflowId(String, String)}; it is started by the first request (signal-with-start, through
 * {@link LockActivities}) and keeps running, continuing as new when its history grows.
 *
 * <p>The holder is told with the signal {@link #GRANTED} carrying a {@link LockGrant}; it gives the
 * environment back with {@link #release}.
 */
@WorkflowInterface
public interface EnvironmentLockWorkflow {

  /** The signal a requester receives when it holds the environment. */
  String GRANTED = "lockGranted";

  /** The lock's workflow ID for a project and an environment. */
  static String workflowId(String project, String environment) {
    return "release-lock-" + project + "-" + environment;
  }

  /** Serves requests until the history is long, then continues as new with the queue. */
  @WorkflowMethod
  void serve(LockState state);

  /**
   * Queues the requester, or grants it the environment when nobody holds it. A request from a
   * workflow already queued or holding is not queued twice; a holder asking again is told again.
   */
  @SignalMethod
  void acquire(LockRequest request);

  /** Gives the environment back (or leaves the queue) and grants it to the next requester. */
  @SignalMethod
  void release(LockRelease release);

  /** Who holds the environment and who waits, in order. */
  @QueryMethod
  LockQueue queue();
}
