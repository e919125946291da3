package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Never leave the Service Desk inconsistent": however a run ends (deployed, failed, aborted,
 * cancelled), its desk records are repeated as a set until the desk acknowledges them all, with
 * NEEDS_ATTENTION and {@code retryDesk} in between, and a repeat never records anything twice.
 */
@Timeout(30)
class DeskConsistencyTest {

  private static final String OPERATOR = "dana";

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();
  private final KeyedDesk desk = new KeyedDesk().answering(silo.desk);

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @ParameterizedTest
  @EnumSource(value = StepName.class, names = {"FLY", "NETLIFY"})
  void givenStepFailureAndDeskDownForThreeAttempts_whenOperatorRetriesDesk_itShouldRecordTheErrorAndEndInError(
      StepName failing) {
    fail(failing);
    desk.failNext(KeyedDesk.STATUS, 3);
    SiloRun run = approved(silo.startRun(request()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);

    assertThat(stuck.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    assertThat(stuck.currentStep()).isEqualTo(failing);
    assertThat(stepState(stuck.steps(), failing)).isEqualTo(StepState.WAITING);
    assertThat(stuck.pending().question())
        .contains("desk failed 3 times recording the error event", "connection refused");
    assertThat(run.stub.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertThat(desk.applied(KeyedDesk.STATUS, UpdateSiloStatusRequest.class)).isEmpty();
    assertThat(desk.calls(KeyedDesk.EVENT)).isEmpty();

    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.deskUpdated()).isTrue();
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.SERVICE_DESK)
        .extracting(LedgerEntry::item, LedgerEntry::action, LedgerEntry::detail)
        .containsExactly(tuple("silo status", LedgerAction.UPDATED, "error"),
            tuple("event error", LedgerAction.CREATED, report.failure()));
    assertThat(stepState(report.steps(), failing)).isEqualTo(StepState.FAILED);
    assertThat(report.decisions()).extracting(DecisionRecord::signal, DecisionRecord::actor, DecisionRecord::accepted)
        .contains(tuple(SiloDeploymentWorkflow.RETRY_DESK, OPERATOR, true));
    assertThat(desk.applied(KeyedDesk.STATUS, UpdateSiloStatusRequest.class)).singleElement().satisfies(status -> {
      assertThat(status.status()).isEqualTo("error");
      assertThat(status.details()).containsEntry("step", failing.name());
    });
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class))
        .extracting(LogSiloEventRequest::event).containsExactly("error");
    assertThat(desk.calls(KeyedDesk.STATUS)).hasSize(4).extracting(KeyedDesk.Call::key).containsOnly(
        SiloFixture.WORKFLOW_ID + ":" + run.stub.getExecution().getRunId() + ":desk:status-error-"
            + failing.name().toLowerCase());
    assertThat(desk.calls(KeyedDesk.APPLICATION)).isEmpty();
  }

  @Test
  void givenErrorStatusAcknowledgedAndEventFailing_whenOperatorRetriesDesk_itShouldResendBothWithTheSameKeysAndApplyEachOnce() {
    fail(StepName.NETLIFY);
    desk.failNext(KeyedDesk.EVENT, 3);
    SiloRun run = approved(silo.startRun(request()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    assertThat(stuck.pending().question()).contains("acknowledged so far: status error");
    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.deskUpdated()).isTrue();
    assertResentOnceAsDuplicate(KeyedDesk.STATUS);
    assertThat(desk.calls(KeyedDesk.EVENT)).extracting(KeyedDesk.Call::outcome).containsExactly(
        KeyedDesk.Outcome.FAILED, KeyedDesk.Outcome.FAILED, KeyedDesk.Outcome.FAILED, KeyedDesk.Outcome.APPLIED);
    assertThat(desk.calls(KeyedDesk.EVENT)).extracting(KeyedDesk.Call::key).containsOnly(
        desk.calls(KeyedDesk.EVENT).get(0).key());
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class))
        .extracting(LogSiloEventRequest::event).containsExactly("error");
  }

  @Test
  void givenActiveStatusAcknowledgedAndEventFailing_whenOperatorRetriesDesk_itShouldResendTheThreeWritesAndApplyEachOnce() {
    desk.failNext(KeyedDesk.EVENT, 3);
    SiloRun run = approved(silo.startRun(request()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    assertThat(stuck.currentStep()).isEqualTo(StepName.DESK);
    assertThat(stuck.pending().question()).contains("acknowledged so far: status active, application updated");
    assertThat(desk.applied(KeyedDesk.APPLICATION, UpdateApplicationRequest.class))
        .as("the application record went out beside the failing event").hasSize(1);
    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.deskUpdated()).isTrue();
    assertResentOnceAsDuplicate(KeyedDesk.STATUS);
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class))
        .extracting(LogSiloEventRequest::event).containsExactly("provisioned");
    assertThat(desk.calls(KeyedDesk.EVENT)).extracting(KeyedDesk.Call::key).containsOnly(
        desk.calls(KeyedDesk.EVENT).get(0).key());
    UpdateSiloStatusRequest status = desk.applied(KeyedDesk.STATUS, UpdateSiloStatusRequest.class).get(0);
    UpdateApplicationRequest application = desk.applied(KeyedDesk.APPLICATION, UpdateApplicationRequest.class).get(0);
    assertThat(application.silo())
        .as("the application record and the status tell the same deployment time")
        .containsEntry("silo_deployed_at", status.details().get("deployment_timestamp"));
    assertResentOnceAsDuplicate(KeyedDesk.APPLICATION);
  }

  @Test
  void givenRejectedPlanAndDeskDownForThreeAttempts_whenOperatorRetriesDesk_itShouldLogTheAbortedEventAndEndAborted() {
    desk.failNext(KeyedDesk.EVENT, 3);
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.reject(new Decision(APPROVER, "wrong region"));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);

    assertThat(stuck.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    assertThat(stuck.currentStep()).isEqualTo(StepName.VALIDATE);
    assertThat(stuck.pending().question()).contains("recording the aborted event");
    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_ABORTED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ABORTED);
    assertThat(report.deskUpdated()).isTrue();
    assertThat(report.failure()).isEqualTo("rejected by " + APPROVER + " (wrong region)");
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class))
        .extracting(LogSiloEventRequest::event).containsExactly("aborted");
    assertThat(desk.calls(KeyedDesk.STATUS)).isEmpty();
  }

  @Test
  void givenCancelledRunAndDeskDownForThreeAttempts_whenOperatorRetriesDesk_itShouldLogTheCancelledEventAndCloseCancelled() {
    desk.failNext(KeyedDesk.EVENT, 3);
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    run.stub.cancel("operator stopped the rollout");
    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);

    assertThat(stuck.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    assertThat(stuck.pending().question()).contains("recording the cancelled event");
    assertThat(run.stub.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));

    run.assertCancelled();
    SiloReport report = run.workflow.progress().report();
    assertThat(report.status()).isEqualTo(SiloStatus.CANCELLED);
    assertThat(report.deskUpdated()).isTrue();
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class))
        .extracting(LogSiloEventRequest::event).containsExactly("cancelled");
  }

  @Test
  void givenErrorWaitingForTheDesk_whenOperatorCancels_itShouldStillWaitForTheDeskBeforeClosing() {
    fail(StepName.NETLIFY);
    desk.failNext(KeyedDesk.EVENT, 3);
    SiloRun run = approved(silo.startRun(request()));
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);

    run.stub.cancel("operator gave up on the desk");
    awaitTaskAfterCancelRequest(run);

    assertThat(run.stub.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertThat(run.workflow.progress().pending().signal()).isEqualTo(SiloDeploymentWorkflow.RETRY_DESK);
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class)).isEmpty();
    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));

    // Temporal closes a run that was asked to cancel as cancelled; its report still says how it ended.
    run.assertCancelled();
    SiloReport report = run.workflow.progress().report();
    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.deskUpdated()).isTrue();
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class))
        .extracting(LogSiloEventRequest::event).containsExactly("error");
  }

  /** The tool was called twice with the same key and identical contents; the desk applied the first only. */
  private void assertResentOnceAsDuplicate(String tool) {
    List<KeyedDesk.Call> calls = desk.calls(tool);
    assertThat(calls).extracting(KeyedDesk.Call::outcome)
        .containsExactly(KeyedDesk.Outcome.APPLIED, KeyedDesk.Outcome.DUPLICATE);
    assertThat(calls.get(1).request()).as("the re-sent write is the same write").isEqualTo(calls.get(0).request());
  }

  private void fail(StepName step) {
    switch (step) {
      case FLY -> doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
          FailureType.DEPLOY_FAILED.type()))
          .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
      case NETLIFY -> doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
          FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());
      default -> throw new IllegalArgumentException("no failure planned for " + step);
    }
  }

  /**
   * Waits until the run has handled the cancel request: a workflow task completed after it in the
   * history. Until then, "still running" would prove nothing.
   */
  private void awaitTaskAfterCancelRequest(SiloRun run) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      List<HistoryEvent> events = silo.env().getWorkflowClient()
          .fetchHistory(run.stub.getExecution().getWorkflowId(), run.stub.getExecution().getRunId())
          .getEvents();
      boolean requested = false;
      for (HistoryEvent event : events) {
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED) {
          requested = true;
        } else if (requested && event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
          return;
        }
      }
      silo.env().sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("the run never handled the cancel request");
  }

  private static SiloRun approved(SiloRun run) {
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }

  private static StepState stepState(List<StepProgress> steps, StepName step) {
    return steps.stream().filter(progress -> progress.step() == step).findFirst().orElseThrow().state();
  }
}
