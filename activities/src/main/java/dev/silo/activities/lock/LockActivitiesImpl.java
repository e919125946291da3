package dev.silo.activities.lock;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockAcquisition;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.lock.LockState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.failure.ApplicationFailure;
import java.util.Objects;
import java.util.Set;

/**
 * {@link LockActivities} through the worker's Temporal client: signal-with-start and describing
 * another workflow are client calls, which a workflow cannot make itself.
 *
 * <p>This is the Temporal client boundary of the lock: a gRPC status is classified here, once.
 */
public final class LockActivitiesImpl implements LockActivities {

  /** Statuses of a service that is down, overloaded or slow: the request may succeed later. */
  private static final Set<Status.Code> TRANSIENT =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.INTERNAL,
          Status.Code.UNKNOWN);

  private final WorkflowClient client;

  /** @param client the worker's client, on the namespace the locks run in */
  public LockActivitiesImpl(WorkflowClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void requestLock(LockAcquisition acquisition) {
    validate(acquisition);
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(acquisition.lockWorkflowId())
            .setTaskQueue(acquisition.taskQueue())
            // A lock that ended (it never should, but an operator may terminate it) starts again.
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .build();
    EnvironmentLockWorkflow lock = client.newWorkflowStub(EnvironmentLockWorkflow.class, options);
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(lock::serve, LockState.free());
    request.add(lock::acquire, acquisition.request());
    try {
      client.signalWithStart(request);
    } catch (WorkflowServiceException e) {
      throw classify(
          "Could not ask the lock " + acquisition.lockWorkflowId() + " for "
              + acquisition.request().workflowId(),
          e);
    }
  }

  @Override
  public boolean isRunning(String workflowId) {
    if (workflowId == null || workflowId.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "No workflow to look up", FailureType.INVALID_REQUEST.type());
    }
    try {
      return client.newUntypedWorkflowStub(workflowId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    } catch (WorkflowServiceException e) {
      throw classify("Could not look up the workflow " + workflowId, e);
    }
  }

  /**
   * A status of a service that is down or overloaded is retried ({@code VENDOR_UNAVAILABLE}); one
   * that refuses the call itself, such as an unknown namespace or missing permission, is not ({@code
   * VENDOR_REJECTED}).
   */
  private static ApplicationFailure classify(String action, WorkflowServiceException e) {
    String message = action + ": " + describe(e);
    if (e.getCause() instanceof StatusRuntimeException status
        && !TRANSIENT.contains(status.getStatus().getCode())) {
      return ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type());
    }
    return ApplicationFailure.newFailure(message, FailureType.VENDOR_UNAVAILABLE.type());
  }

  private static String describe(WorkflowServiceException e) {
    return e.getCause() instanceof StatusRuntimeException status
        ? status.getStatus().getCode() + " " + status.getStatus().getDescription()
        : String.valueOf(e.getMessage());
  }

  private static void validate(LockAcquisition acquisition) {
    String problem = null;
    if (acquisition == null) {
      problem = "No lock acquisition";
    } else if (isBlank(acquisition.lockWorkflowId())) {
      problem = "The lock acquisition names no lock";
    } else if (isBlank(acquisition.taskQueue())) {
      problem = "The lock acquisition of " + acquisition.lockWorkflowId() + " names no task queue";
    } else if (acquisition.request() == null || isBlank(acquisition.request().workflowId())) {
      problem = "The lock acquisition of " + acquisition.lockWorkflowId() + " names no requester";
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(problem, FailureType.INVALID_REQUEST.type());
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
