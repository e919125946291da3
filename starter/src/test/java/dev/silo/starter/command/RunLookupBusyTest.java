package dev.silo.starter.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code silo watch} on a real Temporal server, which answers RESOURCE_EXHAUSTED ("Workflow is
 * busy.") while the run's own events hold its lock: the watch asks again instead of ending.
 */
class RunLookupBusyTest {

  private static final WorkflowExecution RUN = WorkflowExecution.newBuilder().setWorkflowId("silo-acme-crm").build();

  @Test
  void givenAServerBusyWithTheRun_whenWaitingForItsEnd_itShouldAskAgainAtTheNextPoll() throws Exception {
    WorkflowStub stub = mock(WorkflowStub.class);
    when(stub.getResult(anyLong(), any(TimeUnit.class), any(Class.class))).thenThrow(
        new WorkflowServiceException(RUN, "SiloDeploymentWorkflow",
            new StatusRuntimeException(Status.RESOURCE_EXHAUSTED.withDescription("Workflow is busy."))));

    assertThat(RunLookup.ended(stub, Object.class)).isFalse();
  }

  @Test
  void givenAnotherServerError_whenWaitingForItsEnd_itShouldStillFail() throws Exception {
    WorkflowStub stub = mock(WorkflowStub.class);
    when(stub.getResult(anyLong(), any(TimeUnit.class), any(Class.class))).thenThrow(
        new WorkflowServiceException(RUN, "SiloDeploymentWorkflow",
            new StatusRuntimeException(Status.PERMISSION_DENIED.withDescription("no"))));

    assertThatThrownBy(() -> RunLookup.ended(stub, Object.class)).isInstanceOf(WorkflowServiceException.class);
  }
}
