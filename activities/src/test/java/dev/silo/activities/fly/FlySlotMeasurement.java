package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyMachine;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the worker slots the Fly deploys of a fleet hold, one deploy activity per machine
 * ({@code DeployApp}) against submit then await: N silos' five apps each (pg left out, whose
 * sandbox app runs a real PostgreSQL) deployed at once against the Fly sandbox at 150 ms per call,
 * on the embedded test server, with the real Fly activities. It prints, per path and slot count,
 * the most activities holding a slot at once, the slot-seconds held, schedule-to-start p95 and
 * the wall time. It asserts nothing about time: run it by hand, {@code ./mvnw -pl activities -am
 * test -Dtest=FlySlotMeasurement -Dsilo.measureFlySlots=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("measure")
@EnabledIfSystemProperty(named = "silo.measureFlySlots", matches = "true")
class FlySlotMeasurement {

  private static final Logger log = LoggerFactory.getLogger(FlySlotMeasurement.class);
  private static final int SILOS = Integer.getInteger("silo.measureFlySlots.silos", 20);
  private static final Duration LATENCY = Duration.ofMillis(Long.getLong("silo.measureFlySlots.latencyMs", 150));
  private static final List<String> SERVICES = List.of("rest", "auth", "kong", "storage", "studio");
  private static final String QUEUE = "fly-slots";
  /** A schedule-to-start longer than this is counted as a wait for a slot (polling alone takes less). */
  private static final Duration SLOT_WAIT = Duration.ofMillis(250);

  /** One silo's Fly apps, deployed as the Fly step deploys them. */
  @WorkflowInterface
  public interface FleetSilo {
    @WorkflowMethod
    void deploy(String org, List<DeployFlyAppRequest> apps, boolean split);
  }

  public static final class FleetSiloImpl implements FleetSilo {

    private final FlyActivities api = stub(Duration.ofMinutes(2), 5, Duration.ofSeconds(2));
    private final FlyActivities deployInOne = stub(Duration.ofMinutes(15), 3, Duration.ofSeconds(5));
    private final FlyActivities await = stub(Duration.ofMinutes(15), 3, Duration.ofSeconds(1));

    private static FlyActivities stub(Duration startToClose, int attempts, Duration retry) {
      return Workflow.newActivityStub(FlyActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(startToClose)
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(attempts).setInitialInterval(retry).build())
          .build());
    }

    @Override
    public void deploy(String org, List<DeployFlyAppRequest> apps, boolean split) {
      api.ensureOrganization(new EnsureOrganizationRequest(org));
      List<Promise<Void>> deploys = new ArrayList<>();
      for (DeployFlyAppRequest app : apps) {
        deploys.add(Async.procedure(() -> {
          api.createApp(new CreateFlyAppRequest(org, app.appName()));
          if (split) {
            FlyMachine machine = api.submitMachine(app);
            await.awaitMachine(machine);
          } else {
            deployInOne.deployApp(app);
          }
        }));
      }
      Promise.allOf(deploys).get();
    }
  }

  /** Counts the activities whose handler runs, that is, that hold a worker slot. */
  static final class SlotCounter extends WorkerInterceptorBase {

    final AtomicInteger holding = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final AtomicLong slotNanos = new AtomicLong();

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        @Override
        public ActivityOutput execute(ActivityInput input) {
          most.accumulateAndGet(holding.incrementAndGet(), Math::max);
          long start = System.nanoTime();
          try {
            return super.execute(input);
          } finally {
            slotNanos.addAndGet(System.nanoTime() - start);
            holding.decrementAndGet();
          }
        }
      };
    }
  }

  @Test
  void measureFleetSlots() throws Exception {
    // The first run in the JVM pays for class loading and the JIT: it is not reported.
    run(200, true, FlySandbox.DEFAULT_STATE_DELAY);
    List<String> lines = new ArrayList<>();
    for (Duration boot : List.of(FlySandbox.DEFAULT_STATE_DELAY, Duration.ofSeconds(1))) {
      for (int slots : new int[] {200, 25}) {
        for (boolean split : new boolean[] {false, true}) {
          lines.add(run(slots, split, boot));
        }
      }
    }
    lines.forEach(line -> log.info("{}", line));
    System.err.println(String.join("\n", lines));
  }

  /** @param stateDelay how long the sandbox's machines stay in each state before started: half a boot */
  private String run(int slots, boolean split, Duration stateDelay) throws Exception {
    Map<String, FlyAppSpec> examples = FlyFixture.exampleApps();
    SlotCounter counter = new SlotCounter();
    try (FlySandbox sandbox = FlySandbox.builder(FlyMachinesSpec.find(), FlyFixture.TOKEN).stateDelay(stateDelay).start()) {
      sandbox.faults().latency(LATENCY);
      TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
          .setUseTimeskipping(false)
          .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkerInterceptors(counter).build())
          .build());
      try {
        Worker worker = env.newWorker(QUEUE,
            WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(slots).build());
        worker.registerWorkflowImplementationTypes(FleetSiloImpl.class);
        worker.registerActivitiesImplementations(FlyFixture.fromEnvironment(
            FlyFixture.environment(sandbox, FlyFixture.TOKEN), DeployTimeouts.DEFAULT));
        env.start();
        WorkflowClient client = env.getWorkflowClient();
        long start = System.nanoTime();
        List<WorkflowStub> runs = new ArrayList<>();
        for (int silo = 0; silo < SILOS; silo++) {
          String org = "s" + silo + "-crm";
          List<DeployFlyAppRequest> apps = SERVICES.stream().map(service -> new DeployFlyAppRequest(
              "devenv-" + org + "-" + service, examples.get(service), Map.of("POSTGRES_PASSWORD", "pw", "JWT_SECRET", "jwt")))
              .toList();
          WorkflowStub run = client.newUntypedWorkflowStub("FleetSilo",
              WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("fleet-" + org).build());
          run.start(org, apps, split);
          runs.add(run);
        }
        for (WorkflowStub run : runs) {
          run.getResult(Void.class);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<Long> waits = new ArrayList<>();
        for (int silo = 0; silo < SILOS; silo++) {
          waits.addAll(scheduleToStartMillis(client.fetchHistory("fleet-s" + silo + "-crm").getEvents()));
        }
        waits.sort(null);
        assertThat(waits).isNotEmpty();
        long p95 = waits.get((int) Math.ceil(waits.size() * 0.95) - 1);
        long waited = waits.stream().filter(wait -> wait > SLOT_WAIT.toMillis()).count();
        return String.format("%d silos, L=%d ms, boot %4d ms, %3d slots, %-12s: most holding a slot %3d,"
                + " slot-seconds %6.1f, activities %3d, started after > %d ms %3d, schedule-to-start p95 %5d ms,"
                + " wall %5.1f s",
            SILOS, LATENCY.toMillis(), stateDelay.multipliedBy(2).toMillis(), slots, split ? "submit+await" : "DeployApp",
            counter.most.get(), counter.slotNanos.get() / 1e9, waits.size(), SLOT_WAIT.toMillis(), waited, p95, wall);
      } finally {
        env.close();
      }
    }
  }

  private static List<Long> scheduleToStartMillis(List<HistoryEvent> events) {
    Map<Long, Long> scheduled = new HashMap<>();
    List<Long> waits = new ArrayList<>();
    for (HistoryEvent event : events) {
      long millis = event.getEventTime().getSeconds() * 1000 + event.getEventTime().getNanos() / 1_000_000;
      if (event.hasActivityTaskScheduledEventAttributes()) {
        scheduled.put(event.getEventId(), millis);
      } else if (event.hasActivityTaskStartedEventAttributes()) {
        waits.add(millis - scheduled.get(event.getActivityTaskStartedEventAttributes().getScheduledEventId()));
      }
    }
    return waits;
  }
}
