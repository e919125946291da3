package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AwaitMachine through Temporal, on a worker with a single activity slot: a machine's wait holds no
 * slot, so the waits of many machines make progress side by side, and their outcomes reach the
 * workflow through the completion client.
 */
@Timeout(90)
class AwaitMachineSlotTest {

  private static final String QUEUE = "await-machine-slot";
  private static final List<String> SERVICES = List.of("rest", "auth", "kong", "storage", "studio");
  private static final Map<String, FlyAppSpec> EXAMPLES = FlyFixture.exampleApps();

  /** Awaits every machine at once; each entry is the machine's state or its failure's type. */
  @WorkflowInterface
  public interface AwaitAll {
    @WorkflowMethod
    List<String> awaitAll(List<FlyMachine> machines);
  }

  public static final class AwaitAllImpl implements AwaitAll {

    private final FlyActivities fly = Workflow.newActivityStub(FlyActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).setInitialInterval(Duration.ofSeconds(1)).build())
        .build());

    @Override
    public List<String> awaitAll(List<FlyMachine> machines) {
      List<Promise<FlyDeployment>> waits = new ArrayList<>();
      machines.forEach(machine -> waits.add(Async.function(fly::awaitMachine, machine)));
      List<String> outcomes = new ArrayList<>();
      for (Promise<FlyDeployment> wait : waits) {
        try {
          outcomes.add(wait.get().state());
        } catch (ActivityFailure failure) {
          outcomes.add(failure.getCause() instanceof ApplicationFailure cause ? cause.getType() : "unclassified");
        }
      }
      return outcomes;
    }
  }

  /** Real time: the waits last as long as the sandbox's machines take. */
  private final TestWorkflowEnvironment env =
      TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
  private FlyFixture fly;

  @BeforeEach
  void start() throws IOException {
    fly = FlyFixture.start();
    fly.direct.ensureOrganization(new EnsureOrganizationRequest(FlyFixture.ORG));
    Worker worker = env.newWorker(QUEUE, WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1).build());
    worker.registerWorkflowImplementationTypes(AwaitAllImpl.class);
    DeployTimeouts patient = new DeployTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofMillis(50));
    worker.registerActivitiesImplementations(FlyFixture.fromEnvironment(
        FlyFixture.environment(fly.sandbox, FlyFixture.TOKEN), patient));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
    fly.close();
  }

  @Test
  void givenOneActivitySlot_whenFiveMachinesAreAwaitedAndTwoNeverGetHealthy_theOthersShouldCompleteWhileBothWait()
      throws InterruptedException {
    // Were a wait to hold the only slot, the second unhealthy machine's wait would never start. (Of
    // the example's services, auth and kong have checks.)
    fly.sandbox.setUnhealthy(created(app("auth")));
    fly.sandbox.setUnhealthy(created(app("kong")));
    List<FlyMachine> machines = SERVICES.stream().map(this::submit).toList();
    AwaitAll workflow = env.getWorkflowClient().newWorkflowStub(AwaitAll.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("await-all").build());
    WorkflowExecution run = WorkflowClient.start(workflow::awaitAll, machines);

    List<PendingActivityInfo> pending = awaitPending(run, 2, Duration.ofSeconds(30));

    assertThat(pending).hasSize(2).allSatisfy(wait -> {
      assertThat(wait.getActivityType().getName()).isEqualTo("AwaitMachine");
      assertThat(wait.getHeartbeatDetails().getPayloadsCount()).as("the watcher heartbeats for the wait").isPositive();
    });
    env.getWorkflowClient().newUntypedWorkflowStub("await-all").cancel();
  }

  @Test
  void givenMachinesThatStartOrFail_whenAwaited_theWorkflowShouldGetEachOutcome() {
    fly.sandbox.setFailing(app("kong"));
    List<FlyMachine> machines = SERVICES.stream().map(this::submit).toList();
    AwaitAll workflow = env.getWorkflowClient().newWorkflowStub(AwaitAll.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("await-all").build());

    List<String> outcomes = workflow.awaitAll(machines);

    assertThat(outcomes).containsExactly("started", "started", FailureType.DEPLOY_FAILED.type(), "started", "started");
    assertThat(env.getWorkflowClient().fetchHistory("await-all").getEvents())
        .filteredOn(HistoryEvent::hasActivityTaskStartedEventAttributes)
        .allSatisfy(started -> assertThat(started.getActivityTaskStartedEventAttributes().getAttempt())
            .as("a DEPLOY_FAILED is not retried").isEqualTo(1));
  }

  /** Waits, with a bound, until exactly {@code count} activities of the run are pending. */
  private List<PendingActivityInfo> awaitPending(WorkflowExecution run, int count, Duration bound)
      throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      List<PendingActivityInfo> pending = env.getWorkflowClient().getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(env.getNamespace()).setExecution(run).build())
          .getPendingActivitiesList();
      boolean beating = pending.stream().allMatch(activity -> activity.getHeartbeatDetails().getPayloadsCount() > 0);
      if (pending.size() == count && beating) {
        return pending;
      }
      assertThat(System.nanoTime() - deadline).as("%s pending activities within %s, now %s", count, bound, pending)
          .isNegative();
      Thread.sleep(100);
    }
  }

  private FlyMachine submit(String service) {
    fly.direct.createApp(new CreateFlyAppRequest(FlyFixture.ORG, app(service)));
    return fly.direct.submitMachine(new DeployFlyAppRequest(app(service), EXAMPLES.get(service),
        Map.of("POSTGRES_PASSWORD", "pw-1", "JWT_SECRET", "jwt-1")));
  }

  /** The app, created: the sandbox makes only an existing app unhealthy. */
  private String created(String app) {
    fly.direct.createApp(new CreateFlyAppRequest(FlyFixture.ORG, app));
    return app;
  }

  private static String app(String service) {
    return "devenv-acme-crm-" + service;
  }
}
