package dev.silo.starter;

import dev.silo.workflows.lock.LockAcquisition;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.lock.LockState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/** The test worker's lock activity: signal-with-start of the environment's lock, as the real one does. */
public final class LockRequests implements LockActivities {

  private final WorkflowClient client;

  LockRequests(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void requestLock(LockAcquisition acquisition) {
    client
        .newUntypedWorkflowStub("EnvironmentLockWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(acquisition.lockWorkflowId())
                .setTaskQueue(acquisition.taskQueue())
                .build())
        .signalWithStart("acquire", new Object[] {acquisition.request()}, new Object[] {LockState.free()});
  }

  /** Whether the workflow runs, as the real activity tells; the test lock does not ask. */
  @Override
  public boolean isRunning(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId).describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }
}
