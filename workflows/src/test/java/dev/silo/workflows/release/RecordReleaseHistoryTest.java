package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.silo.Decision;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories {@link ReleaseReplayTest} replays, one file per workflow named by its
 * workflow ID. Run it when the release workflows' commands change on purpose (behind {@code
 * Workflow.getVersion}), and commit the files: {@code ./mvnw -pl workflows test
 * -Dtest=RecordReleaseHistoryTest -Dsilo.recordHistories=true}.
 */
@Tag("record")
@EnabledIfSystemProperty(named = "silo.recordHistories", matches = "true")
@Timeout(60)
class RecordReleaseHistoryTest {

  static final Path HISTORIES = Path.of("src", "test", "resources", "histories", "release");

  private TestWorkflowEnvironment env;
  private final ReleaseFixture fixture = new ReleaseFixture();

  @BeforeEach
  void start() {
    env = ReleaseFixture.testEnvironment();
    Worker worker = env.newWorker(TASK_QUEUE);
    fixture.register(env, worker);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void givenAnApprovedPromotionToUat_whenRecorded_itShouldWriteThePipelineItsDeploymentsAndTheLocks()
      throws IOException {
    WorkflowStub run = start("v1.0.0", "uat");
    String uat = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.0.0"), "uat");
    EnvironmentDeploymentWorkflow deployment = env.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, uat);
    awaitApproval(deployment);
    deployment.approve(new Decision(REQUESTER, "ignored: the requester cannot approve"));
    deployment.approve(new Decision("@qa-lead", "smoke tests green"));

    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    write(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.0.0"));
    write(uat);
    write(EnvironmentLockWorkflow.workflowId(PROJECT, "uat"));
  }

  @Test
  void givenALatencyBreachInDev_whenRecorded_itShouldWriteTheRollback() throws IOException {
    fixture.metrics.put("dev", new MetricsSample(0.2, 6200.0));
    WorkflowStub run = start("v1.0.1", "dev");

    assertThat(catchThrowableOfType(
        () -> run.getResult(ReleaseReport.class), WorkflowFailedException.class)).isNotNull();
    write(EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.0.1"), "dev"));
  }

  private WorkflowStub start(String version, String target) {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, version))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, version, target, REQUESTER, false, false));
    return WorkflowStub.fromTyped(workflow);
  }

  private void awaitApproval(EnvironmentDeploymentWorkflow deployment) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (deployment.progress().status() == EnvironmentStatus.AWAITING_APPROVAL) {
          return;
        }
      } catch (RuntimeException notYetStarted) {
        // The deployment starts once the previous environment succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("the deployment never asked for approval");
  }

  private void write(String workflowId) throws IOException {
    Files.createDirectories(HISTORIES);
    Files.writeString(HISTORIES.resolve(workflowId + ".json"),
        env.getWorkflowClient().fetchHistory(workflowId).toJson(true));
  }
}
