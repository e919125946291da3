package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.signing.SignatureSelfTest;
import dev.silo.workflows.summary.SummaryInterceptor;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every activity of a silo deployment carries a summary the Web UI shows on its row, through the
 * worker's {@link SummaryInterceptor}; summaries are user metadata, so recorded runs replay
 * unchanged with it.
 */
@Timeout(30)
class ActivitySummaryTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal = summarizingEnvironment();

  private final SiloFixture silo = new SiloFixture();

  /** Loads the signature verifier's classes outside the workflow thread, as the replay tests do. */
  @BeforeAll
  static void loadTheVerifier() {
    SignatureSelfTest.run();
  }

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenTheSummaryInterceptor_whenASiloIsDeployed_itShouldGiveEveryActivityASummaryNamingWhatItActsOn() {
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.deployed();

    List<HistoryEvent> scheduled = silo.env().getWorkflowClient()
        .fetchHistory(SiloFixture.WORKFLOW_ID).getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).toList();
    List<String> summaries = scheduled.stream().map(ActivitySummaryTest::summary).toList();

    assertThat(scheduled).isNotEmpty();
    assertThat(summaries).allSatisfy(summary -> assertThat(summary).isNotBlank());
    assertThat(summaries).contains("start container kong", "deploy Fly app " + flyApp("pg"),
        "load silo config acme/crm");
  }

  @Test
  void givenAnApprovalWait_whenTheApprovalArrivesFirst_itsTimerShouldSayWhatItWaitsForAndBeCancelled() {
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.deployed();

    List<HistoryEvent> events = silo.env().getWorkflowClient()
        .fetchHistory(SiloFixture.WORKFLOW_ID).getEvents();
    List<HistoryEvent> approvalTimers = events.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
        .filter(event -> summary(event).startsWith("approval of the plan, up to "))
        .toList();
    assertThat(approvalTimers).hasSize(1);
    String timerId = approvalTimers.get(0).getTimerStartedEventAttributes().getTimerId();
    assertThat(events).anySatisfy(event -> {
      assertThat(event.getEventType()).isEqualTo(EventType.EVENT_TYPE_TIMER_CANCELED);
      assertThat(event.getTimerCanceledEventAttributes().getTimerId()).isEqualTo(timerId);
    });
    assertThat(events).noneSatisfy(event -> assertThat(event.getEventType()).isEqualTo(EventType.EVENT_TYPE_TIMER_FIRED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.silo.workflows.silo.SiloDeploymentReplayTest#recordedHistories")
  void givenRecordedHistory_whenReplayedWithTheSummaryInterceptor_itShouldIssueTheSameCommands(Path history)
      throws Exception {
    TestWorkflowEnvironment replay = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new SummaryInterceptor()).build())
            .build());
    try {
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(Files.readString(history), SiloDeploymentReplayTest.workflowIdOf(history)),
          replay, SiloDeploymentWorkflowImpl.class);
    } finally {
      replay.close();
    }
  }

  /** The event's summary, or "" when it carries none. */
  private static String summary(HistoryEvent event) {
    if (!event.hasUserMetadata() || !event.getUserMetadata().hasSummary()) {
      return "";
    }
    Payload summary = event.getUserMetadata().getSummary();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(summary, String.class, String.class);
  }

  private static TestWorkflowExtension summarizingEnvironment() {
    TestWorkflowExtension.Builder builder = TestWorkflowExtension.newBuilder()
        .registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class)
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new SummaryInterceptor()).build())
        .setDoNotStart(true);
    for (SearchAttributeKey<String> key : List.of(SiloSearchAttributes.CLIENT, SiloSearchAttributes.APP,
        SiloSearchAttributes.STEP, SiloSearchAttributes.STATUS)) {
      builder.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return builder.build();
  }
}
