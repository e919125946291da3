package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.REQUESTER;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * Guided failure ({@link OnFailure#ASK}): a step that fails after its retries waits, NEEDS_ATTENTION
 * with the failure in its progress, for retry, skip (containers only) or abort, decided under the
 * approvals' rules; without it a failed step ends the run as it always did.
 */
@Timeout(60)
class GuidedFailureTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenFlyFailureAndAsk_whenAnApproverRetries_itShouldRunFlyAgainAndDeployWithoutDestroyingAnything() {
    failStudioDeploys(1);
    SiloRun run = approved(silo.startRun(guided()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_STEP);

    assertThat(stuck.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    assertThat(stuck.currentStep()).isEqualTo(StepName.FLY);
    assertThat(stuck.failure()).isEqualTo(new FailedStep(StepName.FLY, FailureType.DEPLOY_FAILED.type(),
        "Fly deployment failed: machine never passed its health checks", false, 1));
    assertThat(stuck.pending().question())
        .contains("FLY failed (DEPLOY_FAILED)", "never passed its health checks", "retryStep", "abortStep")
        .doesNotContain("skipStep");
    assertThat(stuck.pending().allowedActors()).isEmpty();
    assertThat(stuck.steps()).filteredOn(step -> step.step() == StepName.FLY)
        .extracting(StepProgress::state).containsExactly(StepState.WAITING);
    verify(silo.fly, never()).destroyApp(any());

    DecisionRecord retried = run.workflow.retryStepUpdate(new Decision(APPROVER, "machine image fixed"));
    SiloReport report = run.deployed();

    assertThat(retried.accepted()).isTrue();
    assertThat(retried.note()).isEqualTo("FLY retried");
    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.flyApps()).extracting(SiloReport.FlyAppReport::state).containsOnly("started");
    assertThat(report.decisions()).extracting(DecisionRecord::signal, DecisionRecord::actor, DecisionRecord::accepted)
        .containsExactly(tuple(SiloDeploymentWorkflow.APPROVE, APPROVER, true),
            tuple(SiloDeploymentWorkflow.RETRY_STEP, APPROVER, true));
    assertThat(run.workflow.progress().failure()).isNull();
    verify(silo.fly, never()).destroyApp(any());
  }

  @Test
  void givenFlyFailureAndAsk_whenSkipIsSent_theValidatorShouldRefuseItWithTheReasonAndAbortShouldRunTheSaga() {
    failStudioDeploys(Integer.MAX_VALUE);
    SiloRun run = approved(silo.startRun(guided()));
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_STEP);

    assertRefused(() -> run.workflow.skipStepUpdate(new Decision(APPROVER, "go on")),
        "skip is not allowed for FLY: the runbook skips only containers (DOCKER)");
    assertRefused(() -> run.workflow.retryStepUpdate(new Decision(REQUESTER, "again")),
        REQUESTER + " requested this run and may not approve it");
    assertThat(run.workflow.progress().decisions()).extracting(DecisionRecord::signal)
        .containsExactly(SiloDeploymentWorkflow.APPROVE);

    run.workflow.abortStepUpdate(new Decision(REQUESTER, "give up"));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.failure()).contains("never passed its health checks");
    ArgumentCaptor<DestroyFlyAppRequest> destroyed = ArgumentCaptor.forClass(DestroyFlyAppRequest.class);
    verify(silo.fly, atLeastOnce()).destroyApp(destroyed.capture());
    assertThat(destroyed.getAllValues()).extracting(DestroyFlyAppRequest::appName)
        .containsExactlyInAnyOrderElementsOf(SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyApp).toList());
    assertThat(report.flyApps()).extracting(SiloReport.FlyAppReport::state).containsOnly("destroyed");
    assertDeskMarkedError();
    assertThat(report.decisions()).extracting(DecisionRecord::signal, DecisionRecord::actor, DecisionRecord::accepted)
        .contains(tuple(SiloDeploymentWorkflow.ABORT_STEP, REQUESTER, true));
    assertThat(run.workflow.progress().pending()).isNull();
  }

  @Test
  void givenFlyFailedTwice_whenRetriedTwice_itShouldDestroyTheAppsOfTheFirstAttemptOnAbortAndAskEachTimeWithTheAttempt() {
    failStudioDeploys(Integer.MAX_VALUE);
    SiloRun run = approved(silo.startRun(guided()));
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_STEP);
    run.workflow.retryStep(new Decision(APPROVER, "try once more"));

    SiloProgress second = run.awaitProgress(progress -> progress.failure() != null && progress.failure().attempt() == 2,
        "the second failure");
    assertThat(second.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    run.workflow.abortStep(new Decision(APPROVER, "enough"));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    ArgumentCaptor<DestroyFlyAppRequest> destroyed = ArgumentCaptor.forClass(DestroyFlyAppRequest.class);
    verify(silo.fly, atLeastOnce()).destroyApp(destroyed.capture());
    assertThat(destroyed.getAllValues()).extracting(DestroyFlyAppRequest::appName)
        .as("each app the run created destroyed once, though the step ran twice")
        .containsExactlyInAnyOrderElementsOf(SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyApp).toList());
    assertThat(report.decisions()).extracting(DecisionRecord::signal, DecisionRecord::via)
        .containsExactly(tuple(SiloDeploymentWorkflow.APPROVE, "signal"), tuple(SiloDeploymentWorkflow.RETRY_STEP, "signal"),
            tuple(SiloDeploymentWorkflow.ABORT_STEP, "signal"));
  }

  @Test
  void givenAContainerThatWillNotStartAndAsk_whenAnApproverSkips_itShouldGoOnWithoutItAsTheRunbookDoes() {
    doAnswer(call -> {
      StartContainerRequest request = call.getArgument(0);
      if ("auth".equals(request.service().name())) {
        return new ContainerResult("auth", "silo-acme-crm-auth-1", ContainerHealth.FAILED, "exited with code 1", true);
      }
      return SiloFixture.startedContainer(request);
    }).when(silo.docker).startContainer(any());
    SiloRun run = approved(silo.startRun(guided()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_STEP);

    assertThat(stuck.failure().step()).isEqualTo(StepName.DOCKER);
    assertThat(stuck.failure().skippable()).isTrue();
    assertThat(stuck.failure().message()).contains("auth (exited with code 1)");
    assertThat(stuck.pending().question()).contains("skipStep");
    assertRefused(() -> run.workflow.skipStepUpdate(new Decision(REQUESTER, "go on")),
        REQUESTER + " requested this run");

    run.workflow.skipStepUpdate(new Decision(APPROVER, "auth is not needed today"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.containers()).extracting(ContainerResult::service, ContainerResult::health)
        .contains(tuple("auth", ContainerHealth.FAILED));
    assertThat(report.degraded()).extracting(DegradedItem::step, DegradedItem::item)
        .contains(tuple(StepName.DOCKER, "auth"));
    assertThat(report.decisions()).extracting(DecisionRecord::signal, DecisionRecord::note)
        .contains(tuple(SiloDeploymentWorkflow.SKIP_STEP, "DOCKER skipped"));
  }

  @Test
  void givenAContainerThatFailsOnceAndAsk_whenRetried_itShouldStartItAndListNothingDegraded() {
    AtomicInteger authAttempts = new AtomicInteger();
    doAnswer(call -> {
      StartContainerRequest request = call.getArgument(0);
      if ("auth".equals(request.service().name()) && authAttempts.getAndIncrement() == 0) {
        return new ContainerResult("auth", "silo-acme-crm-auth-1", ContainerHealth.FAILED, "exited with code 1", true);
      }
      return SiloFixture.startedContainer(request);
    }).when(silo.docker).startContainer(any());
    SiloRun run = approved(silo.startRun(guided()));
    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_STEP);
    assertThat(stuck.degraded()).extracting(DegradedItem::item).contains("auth");

    run.workflow.retryStepUpdate(new Decision(APPROVER, "port freed"));
    SiloReport report = run.deployed();

    assertThat(report.containers()).extracting(ContainerResult::health).doesNotContain(ContainerHealth.FAILED,
        ContainerHealth.SKIPPED);
    assertThat(report.degraded()).isEmpty();
  }

  @Test
  void givenNoStepFailed_whenAStepDecisionIsSent_theValidatorShouldRefuseIt() {
    SiloRun run = silo.startRun(guided());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    assertRefused(() -> run.workflow.retryStepUpdate(new Decision(APPROVER, "")),
        "nothing is waiting for a decision on a failed step");
    assertRefused(() -> run.workflow.abortStepUpdate(new Decision(APPROVER, "")),
        "nothing is waiting for a decision on a failed step");

    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
  }

  @Test
  void givenTheDefault_whenFlyFails_itShouldEndTheRunAtOnceAsBeforeAndRecordNoGuidedFailureMarker() {
    failStudioDeploys(1);
    SiloRun run = approved(silo.startRun(request()));

    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.decisions()).extracting(DecisionRecord::signal).containsExactly(SiloDeploymentWorkflow.APPROVE);
    assertDeskMarkedError();
    List<HistoryEvent> events = silo.env().getWorkflowClient()
        .fetchHistory(SiloFixture.WORKFLOW_ID, run.stub.getExecution().getRunId()).getEvents();
    assertThat(events).filteredOn(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .noneMatch(event -> event.toString().contains(SiloDeploymentWorkflowImpl.GUIDED_FAILURE));
  }

  private static SiloDeploymentRequest guided() {
    return request().withOnFailure(OnFailure.ASK);
  }

  /** Studio's machine fails its health checks the first {@code times} deploys, then starts. */
  private void failStudioDeploys(int times) {
    AtomicInteger failures = new AtomicInteger();
    doAnswer(call -> {
      if (failures.getAndIncrement() < times) {
        throw ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
            FailureType.DEPLOY_FAILED.type());
      }
      return SiloFixture.startedMachine(call.getArgument(0));
    }).when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
  }

  private void assertDeskMarkedError() {
    ArgumentCaptor<UpdateSiloStatusRequest> status = ArgumentCaptor.forClass(UpdateSiloStatusRequest.class);
    verify(silo.desk).updateSiloStatus(status.capture());
    assertThat(status.getValue().status()).isEqualTo("error");
    assertThat(status.getValue().idempotencyKey()).endsWith(":desk:status-error-fly");
  }

  private static SiloRun approved(SiloRun run) {
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }

  private static void assertRefused(Runnable update, String reason) {
    assertThatThrownBy(update::run)
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOf(ApplicationFailure.class)
        .satisfies(cause -> assertThat(((ApplicationFailure) cause).getOriginalMessage()).contains(reason));
  }
}
