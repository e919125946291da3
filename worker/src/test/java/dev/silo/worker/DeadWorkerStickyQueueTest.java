package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.client.TemporalConnection;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run waits for an approval; its worker dies; a new worker starts and the approval arrives. On
 * the embedded dev server (Temporal's Java test server) the run must go on with the new worker. A
 * worker asks the server to send a run's next workflow task to its own sticky queue; that server
 * ignores the sticky schedule-to-start timeout, so with sticky queues the approval's task would
 * wait forever on the dead worker's queue. The workers here are configured as every Silo worker is,
 * by {@link SiloWorker#workerOptions}.
 */
@Timeout(90)
class DeadWorkerStickyQueueTest {

  private static final String QUEUE = "dead-worker-sticky-queue-test";

  /** How long the run may take to finish once approved: far more than a workflow task needs. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path tmp;

  private DevServer server;
  private TemporalConnection dyingConnection;
  private TemporalConnection replacementConnection;
  private WorkerFactory dyingWorker;
  private WorkerFactory replacementWorker;

  @BeforeEach
  void startServer() {
    server = DevServer.startOnFreePort("default");
    Map<String, String> env = TestEnvironments.pointingAt(server.localAddress(), tmp);
    dyingConnection = TemporalConnection.open(env, notice -> {});
    replacementConnection = TemporalConnection.open(env, notice -> {});
    dyingWorker = siloConfiguredWorker(dyingConnection.client());
    replacementWorker = siloConfiguredWorker(replacementConnection.client());
  }

  @AfterEach
  void stopAll() {
    dyingWorker.shutdownNow();
    replacementWorker.shutdownNow();
    dyingConnection.close();
    replacementConnection.close();
    server.close();
  }

  @Test
  void givenTheEmbeddedDevServer_whenTheWorkerIsAsked_itShouldBeRecognisedAsTheJavaTestServer() {
    assertThat(SiloWorker.isJavaTestServer(dyingConnection.client())).isTrue();
  }

  @Test
  void givenARunWaitingForApproval_whenItsWorkerDiesAndANewOneStarts_itShouldCompleteOnceApproved()
      throws TimeoutException, InterruptedException {
    dyingWorker.start();
    WorkflowClient client = replacementConnection.client();
    ApprovalWorkflow run = client.newWorkflowStub(ApprovalWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("dead-worker-run").build());
    WorkflowClient.start(run::deploy, "acme-crm");
    awaitFirstWorkflowTaskCompleted(client, "dead-worker-run");

    dyingWorker.shutdownNow();
    replacementWorker.start();
    run.approve("bob");

    String result = WorkflowStub.fromTyped(run).getResult(BOUND.toSeconds(), TimeUnit.SECONDS, String.class);
    assertThat(result).isEqualTo("acme-crm approved by bob");
  }

  private static WorkerFactory siloConfiguredWorker(WorkflowClient client) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    factory.newWorker(QUEUE, SiloWorker.workerOptions(client, WorkerTuning.DEFAULTS))
        .registerWorkflowImplementationTypes(ApprovalWorkflowImpl.class);
    return factory;
  }

  /** Waits until the first worker has run the workflow up to its wait for the approval. */
  private static void awaitFirstWorkflowTaskCompleted(WorkflowClient client, String workflowId)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      boolean completed = client.fetchHistory(workflowId).getEvents().stream()
          .anyMatch(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      if (completed) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("the first worker never ran the workflow up to its approval");
  }

  /** A stand-in for a silo deployment: it waits for an approval, then finishes. */
  @WorkflowInterface
  public interface ApprovalWorkflow {
    @WorkflowMethod
    String deploy(String silo);

    @SignalMethod
    void approve(String approver);
  }

  public static class ApprovalWorkflowImpl implements ApprovalWorkflow {
    private String approver;

    @Override
    public String deploy(String silo) {
      Workflow.await(() -> approver != null);
      return silo + " approved by " + approver;
    }

    @Override
    public void approve(String approver) {
      this.approver = approver;
    }
  }
}
