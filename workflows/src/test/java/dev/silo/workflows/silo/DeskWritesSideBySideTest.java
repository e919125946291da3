package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Step 6's three desk writes (status, event, application record) need no answer from each other,
 * so they go out at once: one the desk refuses does not hold the others back, the run still waits
 * in NEEDS_ATTENTION until all three are acknowledged, and {@code retryDesk} re-sends the set with
 * the same keys, so nothing is recorded twice.
 */
@Timeout(30)
class DeskWritesSideBySideTest {

  private static final String OPERATOR = "dana";
  private static final Set<String> DESK_WRITES = Set.of("UpdateSiloStatus", "LogSiloEvent", "UpdateApplication");

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();
  private final KeyedDesk desk = new KeyedDesk().answering(silo.desk);

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenADeployedSilo_whenTheDeskIsWritten_theThreeWritesShouldBeScheduledTogether() {
    SiloRun run = approved(silo.startRun(request()));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    List<Long> scheduledBy = history(run).stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(event -> DESK_WRITES.contains(event.getActivityTaskScheduledEventAttributes().getActivityType().getName()))
        .map(event -> event.getActivityTaskScheduledEventAttributes().getWorkflowTaskCompletedEventId())
        .toList();
    assertThat(scheduledBy).as("the workflow task that scheduled each desk write").hasSize(3).containsOnly(scheduledBy.get(0));
  }

  @Test
  void givenTheStatusWriteFailing_whenOperatorRetriesDesk_theOthersShouldLandBesideItAndEachBeAppliedOnce() {
    desk.failNext(KeyedDesk.STATUS, 3);
    SiloRun run = approved(silo.startRun(request()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);

    assertThat(stuck.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    assertThat(stuck.currentStep()).isEqualTo(StepName.DESK);
    assertThat(stuck.pending().question()).contains("acknowledged so far: event provisioned, application updated");
    assertThat(desk.applied(KeyedDesk.STATUS, UpdateSiloStatusRequest.class)).isEmpty();
    assertThat(desk.applied(KeyedDesk.EVENT, LogSiloEventRequest.class)).hasSize(1);
    assertThat(desk.applied(KeyedDesk.APPLICATION, UpdateApplicationRequest.class)).hasSize(1);

    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.deskUpdated()).isTrue();
    assertThat(desk.calls(KeyedDesk.STATUS)).extracting(KeyedDesk.Call::outcome).containsExactly(
        KeyedDesk.Outcome.FAILED, KeyedDesk.Outcome.FAILED, KeyedDesk.Outcome.FAILED, KeyedDesk.Outcome.APPLIED);
    assertThat(desk.applied(KeyedDesk.STATUS, UpdateSiloStatusRequest.class)).singleElement()
        .extracting(UpdateSiloStatusRequest::status).isEqualTo("active");
    assertResentOnceAsDuplicate(KeyedDesk.EVENT);
    assertResentOnceAsDuplicate(KeyedDesk.APPLICATION);
  }

  @Test
  void givenTheApplicationWriteFailing_whenTheRunWaits_itShouldNameThatWriteAndTheTwoAcknowledged() {
    desk.failNext(KeyedDesk.APPLICATION, 3);
    SiloRun run = approved(silo.startRun(request()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);

    assertThat(stuck.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    assertThat(stuck.pending().question()).contains("acknowledged so far: status active, event provisioned");
    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));
    assertThat(run.deployed().deskUpdated()).isTrue();
    assertResentOnceAsDuplicate(KeyedDesk.STATUS);
    assertResentOnceAsDuplicate(KeyedDesk.EVENT);
    assertThat(desk.applied(KeyedDesk.APPLICATION, UpdateApplicationRequest.class)).hasSize(1);
  }

  private void assertResentOnceAsDuplicate(String tool) {
    List<KeyedDesk.Call> calls = desk.calls(tool);
    assertThat(calls).extracting(KeyedDesk.Call::outcome)
        .containsExactly(KeyedDesk.Outcome.APPLIED, KeyedDesk.Outcome.DUPLICATE);
    assertThat(calls.get(1).request()).as("the re-sent write is the same write").isEqualTo(calls.get(0).request());
  }

  private List<HistoryEvent> history(SiloRun run) {
    return silo.env().getWorkflowClient()
        .fetchHistory(run.stub.getExecution().getWorkflowId(), run.stub.getExecution().getRunId()).getEvents();
  }

  private static SiloRun approved(SiloRun run) {
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }
}
