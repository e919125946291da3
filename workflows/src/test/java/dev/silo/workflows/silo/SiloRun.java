package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One silo deployment run as a person drives it: start it, follow {@code progress()}, signal, read the outcome. */
final class SiloRun {

  /** How long, in real time, a test waits for the run to reach a state before giving up. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /**
   * How far the test server's clock may move while the test waits: it lets activity retry backoffs
   * elapse without getting anywhere near a decision's timeout.
   */
  private static final Duration POLL_STEP = Duration.ofMillis(250);

  /**
   * A cancelled run cleans up promptly; it never waits for the activities it cancelled. The blocked
   * activities in the cancellation tests hold for 30 s, so 20 s still tells the two apart on a
   * loaded machine.
   */
  private static final Duration CANCELLATION_PATIENCE = Duration.ofSeconds(20);

  final SiloDeploymentWorkflow workflow;
  final WorkflowStub stub;
  private final TestWorkflowEnvironment env;

  private SiloRun(TestWorkflowEnvironment env, SiloDeploymentWorkflow workflow) {
    this.env = env;
    this.workflow = workflow;
    this.stub = WorkflowStub.fromTyped(workflow);
  }

  /** Starts a run with the silo's workflow ID on the given queue and returns without waiting for it. */
  static SiloRun start(TestWorkflowEnvironment env, String taskQueue, SiloDeploymentRequest request) {
    SiloDeploymentWorkflow workflow = env.getWorkflowClient().newWorkflowStub(SiloDeploymentWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId("silo-" + request.client() + "-" + request.app())
            .setTaskQueue(taskQueue)
            .build());
    WorkflowClient.start(workflow::deploy, request);
    return new SiloRun(env, workflow);
  }

  /** Follows a run started elsewhere (by a parent workflow), by its workflow ID. */
  static SiloRun follow(TestWorkflowEnvironment env, String workflowId) {
    return new SiloRun(env, env.getWorkflowClient().newWorkflowStub(SiloDeploymentWorkflow.class, workflowId));
  }

  /** Waits until the run asks for the given signal, as a person watching the Web UI would. */
  SiloProgress awaitDecision(String signal) {
    return awaitProgress(progress -> progress.pending() != null && signal.equals(progress.pending().signal()),
        "a pending " + signal);
  }

  SiloProgress awaitProgress(Predicate<SiloProgress> condition, String description) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    SiloProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = workflow.progress();
        if (condition.test(last)) {
          return last;
        }
      } catch (WorkflowException notReadyYet) {
        // The run has not completed its first workflow task yet; the query is answered once it has.
      }
      env.sleep(POLL_STEP);
    }
    throw new AssertionError("the run never showed " + description + "; last progress: " + last);
  }

  /**
   * Waits until the given activity is the only one the run has in flight. Cancelling at that point
   * keeps the test clear of a test-server limitation: it rejects a workflow task that cancels an
   * activity which completed while the task ran, which the real server accepts.
   */
  void awaitOnlyPendingActivity(String activityType) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> pending = stub.describe().getRawDescription().getPendingActivitiesList().stream()
          .map(activity -> activity.getActivityType().getName())
          .toList();
      if (pending.equals(List.of(activityType)) && historyIsQuiet()) {
        return;
      }
      env.sleep(POLL_STEP);
    }
    throw new AssertionError("the run never had " + activityType + " as its only activity in flight");
  }

  /**
   * Whether the history shows exactly one activity still open and no workflow task in flight. The
   * time-skipping test server loses a run whose cancellation meets an activity completing during the
   * same workflow task (the real server does not), so cancellation tests cancel only once the run is
   * quiet.
   */
  private boolean historyIsQuiet() {
    List<HistoryEvent> events = env.getWorkflowClient()
        .fetchHistory(stub.getExecution().getWorkflowId(), stub.getExecution().getRunId())
        .getEvents();
    long scheduled = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .count();
    long closed = events.stream().filter(e -> switch (e.getEventType()) {
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED, EVENT_TYPE_ACTIVITY_TASK_FAILED, EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
          EVENT_TYPE_ACTIVITY_TASK_CANCELED -> true;
      default -> false;
    }).count();
    EventType last = events.get(events.size() - 1).getEventType();
    boolean taskInFlight = last == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED
        || last == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;
    return scheduled - closed == 1 && !taskInFlight;
  }

  /** The report of a run that deployed. */
  SiloReport deployed() {
    return stub.getResult(SiloReport.class);
  }

  /** The failure a run that did not deploy ended with. */
  ApplicationFailure failure() {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> stub.getResult(SiloReport.class));
    assertThat(failed).as("the run should have failed").isNotNull();
    if (!(failed.getCause() instanceof ApplicationFailure application)) {
      throw new AssertionError("the run should fail with an ApplicationFailure", failed);
    }
    return application;
  }

  /** Checks that the run closed as cancelled, without waiting for what it had in flight to finish. */
  void assertCancelled() {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> stub.getResult(CANCELLATION_PATIENCE.toSeconds(), TimeUnit.SECONDS, SiloReport.class));
    assertThat(failed).as("the run should have closed as cancelled").isNotNull();
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(stub.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
  }

  /** The report a failed run carries as its failure's first detail, after checking the failure's type. */
  SiloReport failureReport(String expectedType) {
    ApplicationFailure failure = failure();
    assertThat(failure.getType()).isEqualTo(expectedType);
    return failure.getDetails().get(0, SiloReport.class);
  }
}
