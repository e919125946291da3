package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.BASE_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.BRANCH;
import static dev.silo.workflows.silo.SiloFixture.FOREIGN_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.WORKFLOW_ID;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records the histories {@link SiloDeploymentReplayTest} replays. Run it when the workflow's
 * commands change on purpose (behind {@code Workflow.getVersion}), and commit the files:
 * {@code ./mvnw -pl workflows test -Dtest=RecordHistoryTest -Dsilo.recordHistories=true}.
 * The fixture's secrets are fake values, so the histories hold no real secret.
 */
@Tag("record")
@EnabledIfSystemProperty(named = "silo.recordHistories", matches = "true")
@Timeout(30)
class RecordHistoryTest {

  private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

  /** The queue of a second engine host, which one recorded silo's config names. */
  private static final String ENGINE_B = "engine-b";

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker, Map.of(TaskQueues.DOCKER, silo.docker, ENGINE_B, silo.docker));
  }

  @Test
  void givenHappyPath_whenRecorded_itShouldWriteTheHistoryOfADeployedSilo() throws IOException {
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write("silo-deployment-happy-path.json");
  }

  @Test
  void givenFlyFailure_whenRecorded_itShouldWriteTheHistoryOfTheSaga() throws IOException {
    doReturn(new FlyApp(flyApp("pg"), "acme-crm", false))
        .when(silo.fly).createApp(argThat(request -> flyApp("pg").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    SiloRun run = approvedRun();

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).status()).isEqualTo(SiloStatus.ERROR);
    write("silo-deployment-fly-failure.json");
  }

  @Test
  void givenBranchOverwriteAndDeskOutage_whenRecorded_itShouldWriteTheHistoryOfEveryDecision() throws IOException {
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    AtomicInteger statusAttempts = new AtomicInteger();
    doAnswer(call -> {
      if (statusAttempts.incrementAndGet() <= 3) {
        throw ApplicationFailure.newFailure("desk unreachable", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(), false);
    }).when(silo.desk).updateSiloStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
    run.workflow.confirmBranchOverwrite(new Decision(APPROVER, "leftover branch"));
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    run.workflow.retryDesk(new Decision("dana", "desk is back"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write("silo-deployment-branch-overwrite-desk-retry.json");
  }

  @Test
  void givenNetlifyFailureAndDeskOutage_whenRecorded_itShouldWriteTheHistoryOfAnErrorRecordedAfterRetryDesk()
      throws IOException {
    doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
        FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());
    AtomicInteger statusAttempts = new AtomicInteger();
    doAnswer(call -> {
      if (statusAttempts.incrementAndGet() <= 3) {
        throw ApplicationFailure.newFailure("desk unreachable", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(), false);
    }).when(silo.desk).updateSiloStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    run.workflow.retryDesk(new Decision("dana", "desk is back"));

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).deskUpdated()).isTrue();
    write("silo-deployment-netlify-failure-desk-retry.json");
  }

  @Test
  void givenAConfigNamingTheDockerQueue_whenRecorded_itShouldWriteTheHistoryOfARunOnThatEngine() throws IOException {
    silo.configNamesDockerTaskQueue(ENGINE_B);
    SiloRun run = approvedRun();

    assertThat(run.deployed().dockerTaskQueue()).isEqualTo(ENGINE_B);
    write("silo-deployment-docker-queue-from-config.json");
  }

  @Test
  void givenBranchConfiguredByAnEarlierRun_whenRecorded_itShouldWriteTheHistoryOfItsBuildUntilReady()
      throws IOException {
    doReturn(new NetlifyBranchConfig("site-acme-crm-web", BRANCH, true, SiloFixture.PREVIEW_URL))
        .when(silo.netlify).configureBranchDeploy(any());
    SiloRun run = approvedRun();

    assertThat(run.deployed().netlify().deployId()).isNotNull();
    write("silo-deployment-netlify-build-until-ready.json");
  }

  private SiloRun approvedRun() {
    SiloRun run = silo.startRun(SiloFixture.request());
    run.workflow.approve(new Decision(SiloFixture.REQUESTER, "ignored: the requester may not approve"));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }

  private void write(String fileName) throws IOException {
    Files.createDirectories(HISTORIES);
    Files.writeString(HISTORIES.resolve(fileName),
        silo.env().getWorkflowClient().fetchHistory(WORKFLOW_ID).toJson(true));
  }
}
