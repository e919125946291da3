package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.WORKFLOW_ID;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.ScheduledActivities.Scheduled;
import dev.silo.workflows.ScheduledActivities;
import dev.silo.workflows.decision.Decision;
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

/**
 * A killed worker's activity is noticed at its heartbeat timeout, not at its start-to-close
 * timeout. These tests run silo deployments and read, from their histories, the options of every
 * activity they scheduled: each one that may last more than a few seconds must have a heartbeat
 * timeout of seconds, so that its run moves again within seconds of a replacement worker starting.
 */
@Timeout(60)
class SiloHeartbeatTimeoutTest {

  /** An activity bounded by this much needs no heartbeat timeout to be noticed soon enough. */
  static final Duration A_FEW_SECONDS = Duration.ofSeconds(10);

  /** The most a dead worker's activity may go unnoticed. */
  static final Duration HEARTBEAT_BOUND = Duration.ofSeconds(15);

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenADeploymentThatSucceeds_whenItsActivitiesAreScheduled_itShouldGiveEveryLongOneAHeartbeatTimeoutOfSeconds() {
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.deployed();

    List<Scheduled> scheduled = ScheduledActivities.of(silo.env().getWorkflowClient(), WORKFLOW_ID);

    assertThat(scheduled).extracting(Scheduled::activityType).contains("LoadSiloConfig", "GetApplication",
        "StartContainer", "CreateApp", "SubmitMachine", "AwaitMachine", "ApplyMigrations", "PushBranch", "ConfigureBranchDeploy");
    assertEveryLongActivityHasAHeartbeatTimeoutOfSeconds(scheduled);
  }

  @Test
  void givenADeploymentWhoseFlyStepFails_whenItDestroysWhatItCreated_itShouldGiveTheDestroysAHeartbeatTimeoutOfSeconds() {
    doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.failure();

    List<Scheduled> scheduled = ScheduledActivities.of(silo.env().getWorkflowClient(), WORKFLOW_ID);

    assertThat(scheduled).extracting(Scheduled::activityType).contains("DestroyApp");
    assertEveryLongActivityHasAHeartbeatTimeoutOfSeconds(scheduled);
  }

  static void assertEveryLongActivityHasAHeartbeatTimeoutOfSeconds(List<Scheduled> scheduled) {
    assertThat(scheduled).isNotEmpty();
    assertThat(scheduled.stream().filter(activity -> activity.startToClose().compareTo(A_FEW_SECONDS) > 0))
        .as("activities that may last more than %s", A_FEW_SECONDS)
        .allSatisfy(activity -> assertThat(activity.heartbeat())
            .as("the heartbeat timeout of %s", activity)
            .isPositive()
            .isLessThanOrEqualTo(HEARTBEAT_BOUND));
  }
}
