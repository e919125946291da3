package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.SshKeygenKeys;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the histories {@link ReleaseReplayTest} replays, one file per workflow named by its
 * workflow ID. Run it when the release workflows' commands change on purpose (behind {@code
 * Workflow.getVersion}), and commit the new files: {@code ./mvnw -pl workflows test
 * -Dtest=RecordReleaseHistoryTest -Dsilo.recordHistories=true}.
 *
 * <p>Each method releases its own version, so its workflow IDs, and with them its files, are its
 * own. A file that exists already is never written again: its method is skipped before it runs,
 * since that file proves that runs of older code still replay. A new path gets a new method with a
 * new version; to record an old file again, delete it first, on purpose.
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
    String uat = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.0.0"), "uat");
    requireNew(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.0.0"), uat,
        EnvironmentLockWorkflow.workflowId(PROJECT, "uat"));
    WorkflowStub run = start("v1.0.0", "uat");
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

  /**
   * A promotion to uat recorded with the release as data (one record per step kind, verdicts and
   * stages as enums) and the approval wait's summarized timer ({@code await-timer-summaries}),
   * cancelled when the second approval arrives.
   */
  @Test
  void givenSummarizedApprovalTimers_whenAnApprovedPromotionToUatIsRecorded_itShouldWriteItsCancelledTimer()
      throws IOException {
    String version = "v1.6.0-await-timer-summaries";
    String pipeline = ReleasePipelineWorkflow.workflowId(PROJECT, version);
    String uat = EnvironmentDeploymentWorkflow.workflowId(pipeline, "uat");
    requireNew(pipeline, uat);
    WorkflowStub run = start(version, "uat");
    EnvironmentDeploymentWorkflow deployment = env.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, uat);
    awaitApproval(deployment);
    deployment.approve(new Decision("@qa-lead", "smoke tests green"));

    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    write(uat);
  }

  @Test
  void givenAWebhookForPeopleNeeded_whenAnApprovedPromotionToUatIsRecorded_itShouldWriteTheGateToldAskedAndAnswered()
      throws IOException {
    String version = "v1.7.0-notify-when-waiting";
    String pipeline = ReleasePipelineWorkflow.workflowId(PROJECT, version);
    String uat = EnvironmentDeploymentWorkflow.workflowId(pipeline, "uat");
    requireNew(pipeline, uat);
    WorkflowStub run = start(version, "uat");
    EnvironmentDeploymentWorkflow deployment = env.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, uat);
    awaitApproval(deployment);
    deployment.approve(new Decision("@qa-lead", "smoke tests green"));

    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(fixture.waitNotices).hasSize(2);
    write(uat);
  }

  @Test
  void givenALatencyBreachInDev_whenRecorded_itShouldWriteTheRollback() throws IOException {
    requireNew(EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.0.1"), "dev"));
    fixture.metrics.put("dev", new MetricsSample(0.2, 6200.0));
    WorkflowStub run = start("v1.0.1", "dev");

    assertThat(catchThrowableOfType(
        () -> run.getResult(ReleaseReport.class), WorkflowFailedException.class)).isNotNull();
    write(EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.0.1"), "dev"));
  }

  /**
   * A promotion to dev through every pre-flight change: the environment is ready for the pipeline,
   * the worker has every variable the definition names, the ledger knows the version deployed
   * before, and the successful deployment is recorded for the next one. One reading keeps the file
   * small.
   */
  @Test
  void givenAPreviousDeploymentInDev_whenAPromotionIsRecorded_itShouldWriteItsPreFlightAndTheRecordedDeployment()
      throws IOException {
    String dev = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.2.0"), "dev");
    requireNew(dev);
    fixture.environments = ReleaseFixture.environments(Duration.ofSeconds(30));
    fixture.deployments.put("dev", new CopyOnWriteArrayList<>(List.of(new PreviousDeployment(true, "v1.1.0",
        ReleaseFixture.COMMIT, EnvironmentDeploymentWorkflow.workflowId(
            ReleasePipelineWorkflow.workflowId(PROJECT, "v1.1.0"), "dev"), "2026-11-30T10:00:00Z"))));
    WorkflowStub run = start("v1.2.0", "dev");

    EnvironmentReport report = run.getResult(ReleaseReport.class).environments().get(0);
    assertThat(report.status()).isEqualTo(EnvironmentStatus.SUCCEEDED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::outcome).contains(
        tuple("Worker variables configured", StepOutcome.PASSED), tuple("Previous version", StepOutcome.PASSED));
    assertThat(report.steps()).filteredOn(step -> step.name().equals("Previous version"))
        .extracting(StepResult::detail).singleElement().asString().startsWith("PREVIOUS_VERSION=v1.1.0");
    assertThat(fixture.deployments.get("dev")).extracting(PreviousDeployment::version)
        .containsExactly("v1.1.0", "v1.2.0");
    write(dev);
  }

  /**
   * A watch window whose metrics source cannot be read: the inconclusive reading reaches its limit
   * of one, the deployment waits for a person, and the on-call accepts the version.
   */
  @Test
  void givenAnUnreadableMetricsSource_whenAPersonAcceptsTheVersion_itShouldWriteTheWaitAndTheDecision()
      throws IOException {
    String dev = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, "v1.2.1"), "dev");
    requireNew(dev);
    fixture.environments = ReleaseFixture.environments(Duration.ofSeconds(30));
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(ReleaseFixture.UNREADABLE)));
    WorkflowStub run = start("v1.2.1", "dev");
    EnvironmentDeploymentWorkflow deployment = env.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, dev);
    awaitStatus(deployment, EnvironmentStatus.AWAITING_DECISION);
    deployment.approve(new Decision("@oncall", "Grafana shows it healthy"));

    EnvironmentReport report = run.getResult(ReleaseReport.class).environments().get(0);
    assertThat(report.status()).isEqualTo(EnvironmentStatus.SUCCEEDED);
    assertThat(report.steps().get(report.steps().size() - 1).detail())
        .startsWith("accepted by @oncall (Grafana shows it healthy) after 1 inconclusive reading(s)");
    write(dev);
  }

  /**
   * A promotion to uat under a worker with allowed signers: the start signed by the requester's
   * key, an unsigned signal ignored, and the approval sent as a signed Update.
   */
  @Test
  void givenSignedDecisions_whenAPromotionToUatIsRecorded_itShouldWriteTheVerifiedStartAndUpdate(
      @TempDir Path keysDir) throws IOException {
    String pipeline = ReleasePipelineWorkflow.workflowId(PROJECT, "v1.3.0");
    String uat = EnvironmentDeploymentWorkflow.workflowId(pipeline, "uat");
    requireNew(pipeline, uat);
    SshKeygenKeys keys = new SshKeygenKeys(keysDir);
    SshKeygenKeys.Key releaseBot = keys.generate("release-bot");
    SshKeygenKeys.Key qaLead = keys.generate("qa-lead");
    fixture.trust.set(keys.allowedSigners(releaseBot, qaLead));
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(pipeline).setTaskQueue(TASK_QUEUE).build());
    ReleaseRequest request = new ReleaseRequest(PROJECT, "v1.3.0", "uat", "release-bot", false, false);
    String signedAt = java.time.Instant.now().toString();
    WorkflowClient.start(workflow::release, request.signed(new StartSignature(signedAt,
        keys.sign(releaseBot, DecisionText.start(pipeline, request.signedText(), signedAt)))));
    EnvironmentDeploymentWorkflow deployment = env.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, uat);
    awaitApproval(deployment);
    deployment.approve(new Decision("@qa-lead", "unsigned, from the Web UI"));
    String planHash = deployment.progress().planHash();
    String runId = WorkflowStub.fromTyped(deployment).describe().getExecution().getRunId();
    deployment.approveUpdate(new Decision("qa-lead", "smoke tests green", planHash,
        keys.sign(qaLead, DecisionText.decision(uat, runId, planHash, "gate", "approve",
            "smoke tests green"))));

    assertThat(WorkflowStub.fromTyped(workflow).getResult(ReleaseReport.class).status())
        .isEqualTo(ReleaseStatus.SUCCEEDED);
    write(pipeline);
    write(uat);
  }

  /**
   * A definition whose approval timeout no timer holds, sent to the deployment of dev by the
   * pipeline: the only path that asks {@code release-durations-bounded}, and the deployment refuses
   * it before any activity.
   */
  @Test
  void givenAnOutOfRangeApprovalTimeout_whenRecorded_itShouldWriteTheDeploymentsRefusal() throws IOException {
    String version = "v1.4.0-out-of-range-durations";
    String dev = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, version), "dev");
    requireNew(dev);
    fixture.environments = List.of(
        ReleaseFixture.environment("dev", true, true, List.of("@qa-lead"), 1, Duration.ofDays(99_999_999),
            Duration.ZERO));
    WorkflowStub run = start(version, "dev");

    assertThat(catchThrowableOfType(
        () -> run.getResult(ReleaseReport.class), WorkflowFailedException.class)).isNotNull();
    assertThat(fixture.callsOf("dev")).isEmpty();
    write(dev);
  }

  /**
   * A promotion to dev of a release prepared by hash: the deployment sends the database activities
   * the commit and each file's hash and size, which they read from the repository themselves
   * ({@code release-files-read-by-activity}).
   */
  @Test
  void givenAReleasePreparedByHash_whenPromotedToDev_itShouldWriteTheRequestsWithoutContent() throws IOException {
    String version = "v1.5.0-files-read-by-activity";
    String dev = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, version), "dev");
    requireNew(dev);
    fixture.filesByHash = true;
    WorkflowStub run = start(version, "dev");

    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(fixture.callsOf("dev")).contains("migrate 1", "sql functions/submit_expense.sql");
    write(dev);
  }

  /**
   * A promotion to staging started again after one to dev succeeded ({@code release-resume}): it
   * looks the version's deployments up, lists dev as already deployed, records the environment it
   * deploys as a search attribute, and deploys staging only.
   */
  @Test
  void givenAVersionDeployedToDev_whenItsPromotionToStagingIsRecorded_itShouldWriteTheResumedPipeline()
      throws IOException {
    String version = "v1.7.0-resumed";
    String pipeline = ReleasePipelineWorkflow.workflowId(PROJECT, version);
    requireNew(pipeline);
    assertThat(start(version, "dev").getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);

    ReleaseReport resumed = start(version, "staging").getResult(ReleaseReport.class);

    assertThat(resumed.alreadyDeployed()).extracting(EarlierDeployment::environment).containsExactly("dev");
    assertThat(resumed.environments()).extracting(EnvironmentReport::environment).containsExactly("staging");
    write(pipeline);
  }

  private WorkflowStub start(String version, String target) {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, version))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, version, target, REQUESTER, false, false));
    return WorkflowStub.fromTyped(workflow);
  }

  private void awaitApproval(EnvironmentDeploymentWorkflow deployment) {
    awaitStatus(deployment, EnvironmentStatus.AWAITING_APPROVAL);
  }

  private void awaitStatus(EnvironmentDeploymentWorkflow deployment, EnvironmentStatus status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (deployment.progress().status() == status) {
          return;
        }
      } catch (RuntimeException notYetStarted) {
        // The deployment starts once the previous environment succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("the deployment never reached " + status);
  }

  /**
   * Skips the method when one of the files it records exists: such a file proves that runs of
   * older code replay, and must stay as it was recorded.
   */
  private static void requireNew(String... workflowIds) {
    for (String workflowId : workflowIds) {
      Path history = HISTORIES.resolve(workflowId + ".json");
      Assumptions.assumeFalse(Files.exists(history),
          () -> history + " exists and is kept: it proves that older runs replay; record new paths in a new file");
    }
  }

  /** Writes a workflow's history; CREATE_NEW refuses to replace a file written since the method began. */
  private void write(String workflowId) throws IOException {
    Files.createDirectories(HISTORIES);
    Files.writeString(HISTORIES.resolve(workflowId + ".json"),
        env.getWorkflowClient().fetchHistory(workflowId).toJson(true), StandardOpenOption.CREATE_NEW);
  }
}
