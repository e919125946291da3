package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static dev.silo.workflows.release.ReleaseFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.ScheduledActivities.Scheduled;
import dev.silo.workflows.ScheduledActivities;
import dev.silo.workflows.decision.Decision;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A killed worker's activity is noticed at its heartbeat timeout, not at its start-to-close
 * timeout. These tests run releases and read, from the histories of the pipeline and of its
 * environment deployments, the options of every activity they scheduled: each one that may last
 * more than a few seconds must have a heartbeat timeout of seconds.
 */
@Timeout(90)
class ReleaseHeartbeatTimeoutTest {

  /** An activity bounded by this much needs no heartbeat timeout to be noticed soon enough. */
  private static final Duration A_FEW_SECONDS = Duration.ofSeconds(10);

  /** The most a dead worker's activity may go unnoticed. */
  private static final Duration HEARTBEAT_BOUND = Duration.ofSeconds(15);

  private static final Duration PATIENCE = Duration.ofSeconds(30);

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
  void givenAReleasePromotedToProd_whenItsActivitiesAreScheduled_itShouldGiveEveryLongOneAHeartbeatTimeoutOfSeconds() {
    WorkflowStub run = startRelease();
    approve("uat", "@qa-lead");
    approve("prod", "@devops-lead");
    approve("prod", "@engineering-manager");
    run.getResult(ReleaseReport.class);

    List<Scheduled> scheduled = scheduledActivities();

    assertThat(scheduled).extracting(Scheduled::activityType).contains("Prepare", "RequestLock", "RunCommand",
        "ReleaseBackup", "ReleaseMigrate", "ReleaseRunSql", "ReleaseRlsTest", "CheckEndpoint", "ReadMetrics", "IsRunning");
    assertEveryLongActivityHasAHeartbeatTimeoutOfSeconds(scheduled);
  }

  @Test
  void givenAReleaseThatRollsBack_whenItsActivitiesAreScheduled_itShouldGiveEveryLongOneAHeartbeatTimeoutOfSeconds() {
    fixture.leakyRls.add("staging");
    WorkflowStub run = startRelease();
    try {
      run.getResult(ReleaseReport.class);
    } catch (WorkflowException rolledBack) {
      // The release fails by design: what matters here is what it scheduled on the way.
    }

    List<Scheduled> scheduled = scheduledActivities();

    assertThat(scheduled).extracting(Scheduled::activityType).contains("ReleaseRestore", "Notify", "OpenIncident",
        "MarkVersionBad");
    assertEveryLongActivityHasAHeartbeatTimeoutOfSeconds(scheduled);
  }

  private static void assertEveryLongActivityHasAHeartbeatTimeoutOfSeconds(List<Scheduled> scheduled) {
    assertThat(scheduled).isNotEmpty();
    assertThat(scheduled.stream().filter(activity -> activity.startToClose().compareTo(A_FEW_SECONDS) > 0))
        .as("activities that may last more than %s", A_FEW_SECONDS)
        .allSatisfy(activity -> assertThat(activity.heartbeat())
            .as("the heartbeat timeout of %s", activity)
            .isPositive()
            .isLessThanOrEqualTo(HEARTBEAT_BOUND));
  }

  /** The activities of the pipeline, its environment deployments and the locks they asked for. */
  private List<Scheduled> scheduledActivities() {
    String pipeline = ReleasePipelineWorkflow.workflowId(PROJECT, VERSION);
    // The locks are named as EnvironmentLockWorkflow.workflowId names them.
    Stream<String> locks = Stream.of("dev", "staging", "uat", "prod")
        .map(environment -> "release-lock-" + PROJECT + "-" + environment)
        .filter(this::exists);
    String[] ids = Stream.concat(Stream.of(pipeline), locks).toArray(String[]::new);
    return ScheduledActivities.of(env.getWorkflowClient(), ids);
  }

  private boolean exists(String workflowId) {
    try {
      env.getWorkflowClient().newUntypedWorkflowStub(workflowId).describe();
      return true;
    } catch (RuntimeException notStarted) {
      return false;
    }
  }

  private WorkflowStub startRelease() {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, VERSION, "prod", REQUESTER, false, false));
    return WorkflowStub.fromTyped(workflow);
  }

  /** Waits until the environment asks for approval, then approves it as {@code approver}. */
  private void approve(String environment, String approver) {
    EnvironmentDeploymentWorkflow deployment = env.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class,
        EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), environment));
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (deployment.progress().status() == EnvironmentStatus.AWAITING_APPROVAL) {
          deployment.approve(new Decision(approver, "go"));
          return;
        }
      } catch (RuntimeException notYetStarted) {
        // The child starts once the previous environment has succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(environment + " never asked for approval");
  }
}
