package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.verify;

import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Decision;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker dies in the middle of an activity; a replacement worker takes the run over. The dead
 * worker's activity sends no heartbeat and never completes, as a SIGKILLed worker's would; the run
 * must move on at the activity's heartbeat timeout (seconds) rather than at its start-to-close
 * timeout (minutes). The test server runs in real time here, so the timeouts are real ones.
 */
@Timeout(90)
class DeadWorkerRecoveryTest {

  /**
   * How long the run may take, once the replacement worker is up, to finish: the heartbeat timeout
   * plus a retry's backoff, with room for a loaded machine, and far below the migration activity's
   * ten-minute start-to-close timeout.
   */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(40);

  /**
   * The workers ask for no sticky queue, as the Silo worker does on Temporal's Java test server:
   * that server would keep the run's workflow tasks on the dead worker's sticky queue.
   */
  private static final WorkerOptions NO_STICKY_QUEUE =
      WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();

  private final SiloFixture dying = new SiloFixture();
  private final SiloFixture replacement = new SiloFixture();
  private final CountDownLatch migrationsStarted = new CountDownLatch(1);
  private final CountDownLatch never = new CountDownLatch(1);

  private TestWorkflowEnvironment env;
  private WorkerFactory dyingWorker;
  private WorkerFactory replacementWorker;

  @BeforeEach
  void startServer() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    for (SearchAttributeKey<String> key : List.of(SiloSearchAttributes.CLIENT, SiloSearchAttributes.APP,
        SiloSearchAttributes.STEP, SiloSearchAttributes.STATUS)) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    doAnswer(call -> {
      migrationsStarted.countDown();
      hangWithoutHeartbeating();
      return null;
    }).when(dying.database).applyMigrations(any());
    dyingWorker = workerServing(dying);
    replacementWorker = workerServing(replacement);
  }

  @AfterEach
  void stopAll() {
    never.countDown();
    dyingWorker.shutdownNow();
    replacementWorker.shutdownNow();
    env.close();
  }

  @Test
  void givenAWorkerThatDiesWhileApplyingMigrations_whenAReplacementWorkerStarts_itShouldFinishTheRunWithinTheHeartbeatBound()
      throws InterruptedException, TimeoutException {
    dyingWorker.start();
    SiloRun run = SiloRun.start(env, TaskQueues.SILO, request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    assertThat(migrationsStarted.await(RECOVERY_BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the first worker started applying the migrations").isTrue();

    dyingWorker.shutdownNow();
    replacementWorker.start();

    SiloReport report = run.stub.getResult(RECOVERY_BOUND.toSeconds(), TimeUnit.SECONDS, SiloReport.class);
    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    verify(replacement.database, atLeastOnce()).applyMigrations(any());
  }

  /** A worker with the workflow and the given fixture's activities, Docker's on their own queue. */
  private WorkerFactory workerServing(SiloFixture fixture) {
    WorkerFactory factory = WorkerFactory.newInstance(env.getWorkflowClient());
    Worker silo = factory.newWorker(TaskQueues.SILO, NO_STICKY_QUEUE);
    silo.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class);
    silo.registerActivitiesImplementations(fixture.config, fixture.desk, fixture.fly, fixture.database, fixture.git,
        fixture.netlify, fixture.notify, fixture.trust);
    factory.newWorker(TaskQueues.DOCKER, NO_STICKY_QUEUE).registerActivitiesImplementations(fixture.docker);
    return factory;
  }

  /**
   * Blocks as the activity of a killed worker does: no heartbeat, no result, deaf to the interrupt
   * of the worker's shutdown (which would otherwise report a failure the server could retry at
   * once). Released when the test ends.
   */
  private void hangWithoutHeartbeating() {
    while (never.getCount() > 0) {
      try {
        never.await();
      } catch (InterruptedException ignoredAsAKilledProcessWould) {
        // A killed process reports nothing; keep blocking.
      }
    }
  }
}
