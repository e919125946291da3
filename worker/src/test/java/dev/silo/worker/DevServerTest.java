package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.client.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevServerTest {

  private static final String QUEUE = "dev-server-test";

  @TempDir Path tmp;

  private DevServer server;
  private TemporalConnection connection;
  private WorkerFactory factory;

  @BeforeEach
  void startServerAndWorker() {
    server = DevServer.startOnFreePort("default");
    connection =
        TemporalConnection.open(TestEnvironments.pointingAt(server.localAddress(), tmp), n -> {});
    factory = WorkerFactory.newInstance(connection.client());
    factory.newWorker(QUEUE).registerWorkflowImplementationTypes(StepRecordingWorkflowImpl.class);
    factory.start();
  }

  @AfterEach
  void stopAll() {
    factory.shutdownNow();
    connection.close();
    server.close();
  }

  @Test
  void givenARunningDevServer_whenAClientChecksIt_itShouldBeReachable() {
    connection.ensureReachable();
  }

  @Test
  void givenTheSiloSearchAttributes_whenAWorkflowStartsAndUpsertsThem_itShouldCompleteWithThem() {
    WorkflowClient client = connection.client();
    StepRecordingWorkflow workflow =
        client.newWorkflowStub(
            StepRecordingWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId("silo-acme-portal")
                .setWorkflowExecutionTimeout(Duration.ofSeconds(30))
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(SiloSearchAttributes.CLIENT, "acme")
                        .set(SiloSearchAttributes.APP, "portal")
                        .build())
                .build());

    String result = workflow.record("containers");

    SearchAttributes attributes =
        WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
    assertThat(result).isEqualTo("containers");
    assertThat(attributes.get(SiloSearchAttributes.CLIENT)).isEqualTo("acme");
    assertThat(attributes.get(SiloSearchAttributes.APP)).isEqualTo("portal");
    assertThat(attributes.get(SiloSearchAttributes.STEP)).isEqualTo("containers");
    assertThat(attributes.get(SiloSearchAttributes.STATUS)).isEqualTo("done");
  }

  @Test
  void givenAnUnregisteredSearchAttribute_whenAWorkflowStarts_itShouldBeRejected() {
    WorkflowStub stub =
        connection
            .client()
            .newUntypedWorkflowStub(
                "StepRecordingWorkflow",
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("unregistered-attribute")
                    .setTypedSearchAttributes(
                        SearchAttributes.newBuilder()
                            .set(SearchAttributeKey.forKeyword("NotRegistered"), "x")
                            .build())
                    .build());

    assertThatThrownBy(() -> stub.start("containers")).hasStackTraceContaining("NotRegistered");
  }

  /** A stand-in for a Silo workflow: it sets the step and status attributes as one would. */
  @WorkflowInterface
  public interface StepRecordingWorkflow {
    @WorkflowMethod
    String record(String step);
  }

  public static class StepRecordingWorkflowImpl implements StepRecordingWorkflow {
    @Override
    public String record(String step) {
      Workflow.upsertTypedSearchAttributes(
          SiloSearchAttributes.STEP.valueSet(step), SiloSearchAttributes.STATUS.valueSet("done"));
      return step;
    }
  }
}
