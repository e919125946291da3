package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyMachine;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker that dies while its watcher waits for a machine: the wait's activity times out by
 * heartbeat and its retry, on a worker that lives, waits for the machine again and completes.
 */
@Timeout(90)
class AwaitMachineDeadWorkerTest {

  private static final String QUEUE = "await-machine-dead-worker";
  private static final String APP = "devenv-acme-crm-rest";

  private final TestWorkflowEnvironment env =
      TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
  private FlySandbox sandbox;
  private FlyActivitiesImpl first;
  private FlyActivitiesImpl second;
  private WorkerFactory firstWorker;
  private WorkerFactory secondWorker;

  @BeforeEach
  void start() throws Exception {
    // A machine takes six seconds to boot, so the first worker dies while it waits.
    sandbox = FlySandbox.builder(FlyMachinesSpec.find(), FlyFixture.TOKEN).stateDelay(Duration.ofSeconds(3)).start();
    env.newWorker(QUEUE).registerWorkflowImplementationTypes(AwaitMachineSlotTest.AwaitAllImpl.class);
    env.start();
    first = activities();
    firstWorker = WorkerFactory.newInstance(env.getWorkflowClient());
    firstWorker.newWorker(QUEUE).registerActivitiesImplementations(first);
    firstWorker.start();
  }

  @AfterEach
  void close() {
    firstWorker.shutdownNow();
    if (secondWorker != null) {
      secondWorker.shutdownNow();
      second.close();
    }
    env.close();
    sandbox.close();
  }

  @Test
  void givenAWorkerWaitingForAMachine_whenItDies_aLiveWorkerShouldWaitAgainAndCompleteTheWait() throws Exception {
    first.ensureOrganization(new EnsureOrganizationRequest(FlyFixture.ORG));
    first.createApp(new CreateFlyAppRequest(FlyFixture.ORG, APP));
    FlyMachine machine = first.submitMachine(new DeployFlyAppRequest(APP, FlyFixture.exampleApps().get("rest"),
        Map.of("POSTGRES_PASSWORD", "pw-1", "JWT_SECRET", "jwt-1")));
    WorkflowStub run = env.getWorkflowClient().newUntypedWorkflowStub("AwaitAll",
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("await-dead-worker").build());
    WorkflowExecution execution = run.start(List.of(machine));
    awaitFirstHeartbeat(execution, Duration.ofSeconds(30));

    firstWorker.shutdownNow();
    first.close();
    second = activities();
    secondWorker = WorkerFactory.newInstance(env.getWorkflowClient());
    secondWorker.newWorker(QUEUE).registerActivitiesImplementations(second);
    secondWorker.start();

    assertThat(run.getResult(List.class)).containsExactly("started");
    List<HistoryEvent> events = env.getWorkflowClient().fetchHistory("await-dead-worker").getEvents();
    assertThat(events).filteredOn(HistoryEvent::hasActivityTaskStartedEventAttributes).singleElement()
        .satisfies(started -> assertThat(started.getActivityTaskStartedEventAttributes().getAttempt())
            .as("the attempt that completed the wait").isEqualTo(2));
    assertThat(sandbox.app(APP).orElseThrow().machines()).singleElement()
        .satisfies(left -> assertThat(left.id()).isEqualTo(machine.machineId()));
  }

  private FlyActivitiesImpl activities() {
    return FlyFixture.fromEnvironment(FlyFixture.environment(sandbox, FlyFixture.TOKEN), DeployTimeouts.DEFAULT);
  }

  private void awaitFirstHeartbeat(WorkflowExecution execution, Duration bound) throws InterruptedException {
    WorkflowClient client = env.getWorkflowClient();
    long deadline = System.nanoTime() + bound.toNanos();
    while (client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder().setNamespace(env.getNamespace()).setExecution(execution).build())
        .getPendingActivitiesList().stream().noneMatch(activity -> activity.getHeartbeatDetails().getPayloadsCount() > 0)) {
      assertThat(System.nanoTime() - deadline).as("the first worker heartbeats for the wait within %s", bound)
          .isNegative();
      Thread.sleep(100);
    }
  }
}
