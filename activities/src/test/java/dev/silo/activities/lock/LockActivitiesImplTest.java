package dev.silo.activities.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockAcquisition;
import dev.silo.workflows.lock.LockQueue;
import dev.silo.workflows.lock.LockRelease;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.lock.LockState;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signal-with-start against Temporal's in-memory test server, with a lock that only records. */
class LockActivitiesImplTest {

  private static final String TASK_QUEUE = "release-locks";
  private static final String LOCK_ID = EnvironmentLockWorkflow.workflowId("expenses", "prod");

  private TestWorkflowEnvironment environment;
  private WorkflowClient client;
  private LockActivitiesImpl activities;

  @BeforeEach
  void startTestServer() {
    environment = TestWorkflowEnvironment.newInstance();
    Worker worker = environment.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RecordingLock.class);
    environment.start();
    client = environment.getWorkflowClient();
    activities = new LockActivitiesImpl(client);
  }

  @AfterEach
  void stopTestServer() {
    environment.close();
  }

  @Test
  void givenNoLock_whenTwoDeploymentsAsk_itShouldStartOneLockAndDeliverBothRequests() {
    activities.requestLock(acquisition("deploy-expenses-prod-1"));
    String firstRun = execution().getRunId();
    activities.requestLock(acquisition("deploy-expenses-prod-2"));

    LockQueue queue = lock().queue();

    assertThat(execution().getRunId()).isEqualTo(firstRun);
    assertThat(queue.lockWorkflowId()).isEqualTo(LOCK_ID);
    assertThat(queue.holder().workflowId()).isEqualTo("deploy-expenses-prod-1");
    assertThat(queue.waiting()).extracting(LockRequest::workflowId).containsExactly("deploy-expenses-prod-2");
  }

  @Test
  void givenALockThatEnded_whenADeploymentAsks_itShouldStartItAgainFree() {
    activities.requestLock(acquisition("deploy-expenses-prod-1"));
    String firstRun = execution().getRunId();
    lock().release(new LockRelease("deploy-expenses-prod-1"));
    WorkflowStub.fromTyped(lock()).getResult(Void.class);

    activities.requestLock(acquisition("deploy-expenses-prod-2"));

    assertThat(execution().getRunId()).isNotEqualTo(firstRun);
    assertThat(lock().queue().holder().workflowId()).isEqualTo("deploy-expenses-prod-2");
    assertThat(lock().queue().waiting()).isEmpty();
  }

  @Test
  void givenALockThatRunsThenEnds_whenLookedUp_itShouldBeRunningOnlyUntilItEnds() {
    activities.requestLock(acquisition("deploy-expenses-prod-1"));
    boolean whileServing = activities.isRunning(LOCK_ID);
    lock().release(new LockRelease("deploy-expenses-prod-1"));
    WorkflowStub.fromTyped(lock()).getResult(Void.class);

    assertThat(whileServing).isTrue();
    assertThat(activities.isRunning(LOCK_ID)).isFalse();
    assertThat(activities.isRunning("deploy-that-never-ran")).isFalse();
  }

  @Test
  void givenAnAcquisitionWithoutRequester_whenRequested_itShouldRefuseIt() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.requestLock(new LockAcquisition(LOCK_ID, TASK_QUEUE, null)));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenATemporalServiceThatDoesNotAnswer_whenRequested_itShouldFailRetryablyAsUnavailable()
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    WorkflowServiceStubs nowhere =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + closedPort)
                .setRpcTimeout(Duration.ofSeconds(1))
                .setSystemInfoTimeout(Duration.ofSeconds(1))
                .setRpcRetryOptions(
                    RpcRetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(50))
                        .setExpiration(Duration.ofSeconds(1))
                        .build())
                .build());
    try {
      LockActivitiesImpl unreachable = new LockActivitiesImpl(WorkflowClient.newInstance(nowhere));

      ApplicationFailure failure =
          catchThrowableOfType(
              ApplicationFailure.class,
              () -> unreachable.requestLock(acquisition("deploy-expenses-prod-1")));

      assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(failure.getOriginalMessage()).contains(LOCK_ID, "UNAVAILABLE");
    } finally {
      nowhere.shutdownNow();
    }
  }

  private static LockAcquisition acquisition(String workflowId) {
    return new LockAcquisition(
        LOCK_ID, TASK_QUEUE, new LockRequest(workflowId, "v1.0.0", "alice", "2025-03-01T12:00:00Z"));
  }

  private EnvironmentLockWorkflow lock() {
    return client.newWorkflowStub(EnvironmentLockWorkflow.class, LOCK_ID);
  }

  /** The lock's latest run, as the server describes it. */
  private WorkflowExecution execution() {
    return WorkflowStub.fromTyped(lock()).describe().getExecution();
  }

  /**
   * A lock that queues every request in arrival order and ends at the first release: enough to see
   * what the activity delivered, without the real lock's rules.
   */
  public static class RecordingLock implements EnvironmentLockWorkflow {

    private final List<LockRequest> requests = new ArrayList<>();
    private boolean released;

    @Override
    public void serve(LockState state) {
      requests.addAll(state.waiting());
      Workflow.await(() -> released);
    }

    @Override
    public void acquire(LockRequest request) {
      requests.add(request);
    }

    @Override
    public void release(LockRelease release) {
      released = true;
    }

    @Override
    public LockQueue queue() {
      return new LockQueue(
          Workflow.getInfo().getWorkflowId(),
          requests.isEmpty() ? null : requests.get(0),
          requests.isEmpty() ? List.of() : List.copyOf(requests.subList(1, requests.size())));
    }
  }
}
