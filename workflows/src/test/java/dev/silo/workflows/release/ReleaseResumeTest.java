package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static dev.silo.workflows.release.ReleaseFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.decision.Decision;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A promotion started again resumes at the first environment its version has not succeeded in,
 * and a cancelled promotion lets the running deployment stop cleanly and ends with its report.
 */
@Timeout(60)
class ReleaseResumeTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

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

  private WorkflowStub start(String target) {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, VERSION, target, REQUESTER, false, false));
    return WorkflowStub.fromTyped(workflow);
  }

  private EnvironmentDeploymentWorkflow deployment(String environment) {
    return env.getWorkflowClient().newWorkflowStub(EnvironmentDeploymentWorkflow.class,
        EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), environment));
  }

  private void await(String environment, Predicate<EnvironmentProgress> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    EnvironmentProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = deployment(environment).progress();
        if (condition.test(last)) {
          return;
        }
      } catch (RuntimeException notYetStarted) {
        // The child starts once the previous environment has succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(environment + " never reached the expected state; last: " + last);
  }

  private void awaitApproval(String environment) {
    await(environment, progress -> progress.status() == EnvironmentStatus.AWAITING_APPROVAL);
  }

  private static ReleaseReport failedReport(WorkflowStub run) {
    WorkflowFailedException failed = catchThrowableOfType(() -> run.getResult(ReleaseReport.class),
        WorkflowFailedException.class);
    assertThat(failed).as("the release should fail").isNotNull();
    return ((ApplicationFailure) failed.getCause()).getDetails().get(ReleaseReport.class);
  }

  @Test
  void givenAPromotionStoppedInUat_whenStartedAgain_itShouldResumeAtUatListingDevAndStagingAsAlreadyDeployed() {
    WorkflowStub first = start("prod");
    awaitApproval("uat");
    deployment("uat").reject(new Decision("@qa-lead", "release notes missing"));
    assertThat(failedReport(first).status()).isEqualTo(ReleaseStatus.STOPPED);
    List<String> firstCalls = List.copyOf(fixture.calls);

    WorkflowStub second = start("prod");
    awaitApproval("uat");
    deployment("uat").approve(new Decision("@qa-lead", "notes added"));
    awaitApproval("prod");
    deployment("prod").approve(new Decision("@devops-lead", "go"));
    deployment("prod").approve(new Decision("@engineering-manager", "go"));
    ReleaseReport report = second.getResult(ReleaseReport.class);

    assertThat(report.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(report.environments()).extracting(EnvironmentReport::environment, EnvironmentReport::status)
        .containsExactly(tuple("uat", EnvironmentStatus.SUCCEEDED), tuple("prod", EnvironmentStatus.SUCCEEDED));
    assertThat(report.alreadyDeployed()).extracting(EarlierDeployment::environment)
        .containsExactly("dev", "staging");
    String devRun = fixture.recorded.get(0).runId();
    assertThat(report.alreadyDeployed().get(0).line())
        .isEqualTo("already deployed 2026-12-02T09:30:00Z, run " + devRun);
    List<String> secondCalls = fixture.calls.subList(firstCalls.size(), fixture.calls.size());
    assertThat(secondCalls).as("nothing runs again in dev or staging").noneMatch(
        call -> call.startsWith("dev:") || call.startsWith("staging:"));
    ReleaseProgress progress = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        ReleasePipelineWorkflow.workflowId(PROJECT, VERSION)).progress();
    assertThat(progress.environments()).extracting(EnvironmentSlot::environment, EnvironmentSlot::status)
        .containsExactly(tuple("dev", EnvironmentStatus.ALREADY_DEPLOYED),
            tuple("staging", EnvironmentStatus.ALREADY_DEPLOYED), tuple("uat", EnvironmentStatus.SUCCEEDED),
            tuple("prod", EnvironmentStatus.SUCCEEDED));
  }

  @Test
  void givenAVersionDeployedUpToItsTarget_whenStartedAgain_itShouldSucceedWithoutDeployingAnything() {
    assertThat(start("staging").getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    int deploymentsBefore = fixture.recorded.size();

    ReleaseReport again = start("staging").getResult(ReleaseReport.class);

    assertThat(again.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(again.environments()).isEmpty();
    assertThat(again.notRun()).isEmpty();
    assertThat(again.alreadyDeployed()).extracting(EarlierDeployment::environment).containsExactly("dev", "staging");
    assertThat(fixture.recorded).hasSize(deploymentsBefore);
  }

  @Test
  void givenAPromotionWaitingForApprovalInDev_whenCancelled_itShouldStopTheDeploymentAndEndCancelledWithItsReport() {
    fixture.environments = List.of(
        ReleaseFixture.environment("dev", true, true, List.of("@qa-lead"), 1, Duration.ofHours(1), Duration.ZERO),
        ReleaseFixture.environment("staging", false, false, List.of(), 1, null, Duration.ZERO));
    WorkflowStub run = start("staging");
    awaitApproval("dev");

    run.cancel();

    WorkflowFailedException failed = catchThrowableOfType(() -> run.getResult(ReleaseReport.class),
        WorkflowFailedException.class);
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(run.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    ReleaseProgress progress = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        ReleasePipelineWorkflow.workflowId(PROJECT, VERSION)).progress();
    assertThat(progress.report().status()).isEqualTo(ReleaseStatus.STOPPED);
    assertThat(progress.report().reason()).isEqualTo("cancelled by an operator during dev");
    assertThat(progress.report().notRun()).containsExactly("staging");
    assertThat(deployment("dev").progress().status()).isEqualTo(EnvironmentStatus.FAILED);
    assertThat(fixture.calls).as("nothing changed in dev, so nothing was rolled back")
        .noneMatch(call -> call.contains("restore") || call.contains("migrate"));
  }

  @Test
  void givenAPromotionInDevsWatchWindow_whenCancelled_itShouldRollDevBackRestoringTheBackupAndEndCancelled() {
    fixture.environments = List.of(
        ReleaseFixture.environment("dev", true, false, List.of(), 1, null, Duration.ofHours(1)),
        ReleaseFixture.environment("staging", false, false, List.of(), 1, null, Duration.ZERO));
    WorkflowStub run = start("staging");
    await("dev", progress -> progress.status() == EnvironmentStatus.WATCHING);

    run.cancel();

    WorkflowFailedException failed = catchThrowableOfType(() -> run.getResult(ReleaseReport.class),
        WorkflowFailedException.class);
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    EnvironmentProgress dev = deployment("dev").progress();
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(fixture.callsOf("dev")).contains("restore /backups/release-expenses-v1.2.0-dev.dump");
    ReleaseProgress progress = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        ReleasePipelineWorkflow.workflowId(PROJECT, VERSION)).progress();
    assertThat(progress.report().reason()).isEqualTo("cancelled by an operator during dev");
    assertThat(progress.report().notRun()).containsExactly("staging");
    assertThat(fixture.recorded).as("a cancelled deployment is not one to resume after").isEmpty();
  }
}
