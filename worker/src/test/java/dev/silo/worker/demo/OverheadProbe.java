package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.activities.heartbeat.HeartbeatInterceptor;
import dev.silo.sandbox.Sandbox;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.SandboxRuns;
import dev.silo.worker.SiloWorker;
import dev.silo.worker.WorkerTuning;
import dev.silo.worker.TemporalBinary;
import dev.silo.worker.metrics.ExternalCallInterceptor;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.silo.ApprovalPolicy;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.summary.SummaryInterceptor;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, and prints, what orchestration costs at sandbox latency 0: an empty activity's round
 * trip, and the wall of silo deployments run at once against the sandbox (containers skipped) with
 * the worker in this JVM, on the embedded test server and on the real dev server. It asserts only
 * outcomes (every run deployed); the numbers are for a person, never a pass criterion. Runs only
 * with {@code -Dsilo.overhead=true}.
 */
@EnabledIfSystemProperty(named = "silo.overhead", matches = "true")
class OverheadProbe {

  private static final int ROUND_TRIPS = 40;
  private static final String PROBE_QUEUE = "silo-overhead-probe";
  private static final int SILOS = Integer.getInteger("silo.overhead.silos", 1);
  /** {@code sdk} measures the SDK's own defaults (200 slots each, 5 pollers each, 600 cached runs). */
  private static final WorkerTuning TUNING = "sdk".equals(System.getProperty("silo.overhead.tuning"))
      ? new WorkerTuning(200, 200, 200, 5, 5, 600) : WorkerTuning.DEFAULTS;

  @TempDir Path work;

  /** An activity that does nothing, so its wall is the orchestration's alone. */
  @ActivityInterface
  public interface EmptyActivity {
    void nothing();
  }

  /** Calls the empty activity {@code count} times, one after the other. */
  @WorkflowInterface
  public interface RoundTrips {
    @WorkflowMethod
    void run(int count);
  }

  public static class RoundTripsImpl implements RoundTrips {
    private final EmptyActivity activity = Workflow.newActivityStub(EmptyActivity.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public void run(int count) {
      for (int i = 0; i < count; i++) {
        activity.nothing();
      }
    }
  }

  @Test
  void embedded() throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    SandboxRuns.registerSearchAttributes(env);
    try (Sandbox sandbox = Sandbox.start(Duration.ZERO)) {
      measure("embedded", env.getWorkflowClient(), sandbox, env::start);
    } finally {
      env.close();
    }
  }

  /**
   * A server already running at {@code -Dsilo.overhead.address} (such as a {@code temporal server
   * start-dev} with other flags, its search attributes registered), namespace {@code default}.
   */
  @Test
  @EnabledIfSystemProperty(named = "silo.overhead.address", matches = ".+")
  void givenServer() throws Exception {
    try (Sandbox sandbox = Sandbox.start(Duration.ZERO)) {
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(System.getProperty("silo.overhead.address")).build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      measure("given server", client, sandbox, () -> { });
      service.shutdownNow();
    }
  }

  @Test
  void realDevServer() throws Exception {
    Path binary = TemporalBinary.require();
    try (RealDevServer server = RealDevServer.start(RealDevServer.Settings.loopback(binary, freePort(), 0,
        work.resolve("dev-server.db"), null));
        Sandbox sandbox = Sandbox.start(Duration.ZERO)) {
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
      WorkflowClient client = WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace(server.namespace()).build());
      List<WorkerFactory> started = new ArrayList<>();
      measure("real dev server", client, sandbox, () -> started.forEach(WorkerFactory::start));
      started.forEach(WorkerFactory::shutdownNow);
      service.shutdownNow();
    }
  }

  private void measure(String server, WorkflowClient client, Sandbox sandbox, Runnable startWorkers) throws Exception {
    Path configRoot = work.resolve("silos");
    List<SiloNames> silos = new ArrayList<>();
    for (int i = 0; i < SILOS; i++) {
      SiloNames names = new SiloNames(i == 0 ? "acme" : "acme" + i, "crm");
      copySilo(configRoot, names);
      sandbox.desk().application(names.client(), names.app(), "Acme CRM " + i);
      silos.add(names);
    }
    Map<String, String> environment = new HashMap<>(sandbox.workerEnvironment());
    environment.put("SILO_CONFIG_ROOT", configRoot.toString());
    environment.put("SILO_GIT_REMOTE", DemoEnvironment.createRemote(work.resolve("remote.git")).toString());
    environment.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
    environment.put("SILO_STATE_DIR", work.resolve("state").toString());
    WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(TUNING.workflowCache())
        .setWorkerInterceptors(new ExternalCallInterceptor(), new HeartbeatInterceptor(), new SummaryInterceptor())
        .build());
    SiloWorker.register(factory, SiloWorker.Queues.DEFAULT, EnvironmentActivities.build(environment, client, line -> { }),
        TUNING);
    // -Dsilo.overhead.sticky=false measures the round trip with no sticky queue, as on the embedded server.
    factory.newWorker(PROBE_QUEUE, Boolean.parseBoolean(System.getProperty("silo.overhead.sticky", "true"))
        ? SiloWorker.workerOptions(client, TUNING)
        : io.temporal.worker.WorkerOptions.newBuilder(SiloWorker.workerOptions(client, TUNING))
            .setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
    factory.getWorker(PROBE_QUEUE).registerWorkflowImplementationTypes(RoundTripsImpl.class);
    factory.getWorker(PROBE_QUEUE).registerActivitiesImplementations((EmptyActivity) () -> { });
    factory.start();
    startWorkers.run();
    try {
      roundTrips(server, client);
      deployments(server, client, silos);
    } finally {
      factory.shutdownNow();
    }
  }

  private static void roundTrips(String server, WorkflowClient client) {
    for (int attempt = 0; attempt < 3; attempt++) {
      RoundTrips probe = client.newWorkflowStub(RoundTrips.class, WorkflowOptions.newBuilder()
          .setTaskQueue(PROBE_QUEUE).setWorkflowId("probe-" + attempt).build());
      long start = System.nanoTime();
      probe.run(ROUND_TRIPS);
      double each = (System.nanoTime() - start) / 1e6 / ROUND_TRIPS;
      System.out.printf("OVERHEAD %s: empty activity round trip %.1f ms (attempt %d, %d in a row)%n",
          server, each, attempt, ROUND_TRIPS);
    }
  }

  private static void deployments(String server, WorkflowClient client, List<SiloNames> silos) {
    List<SiloDeploymentWorkflow> runs = new ArrayList<>();
    for (SiloNames names : silos) {
      SiloDeploymentWorkflow run = client.newWorkflowStub(SiloDeploymentWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(names.workflowId()).setTaskQueue("silo-deployer").build());
      WorkflowClient.start(run::deploy, new SiloDeploymentRequest(names.client(), names.app(), "alice", null,
          ApprovalPolicy.defaults(), null, true));
      runs.add(run);
    }
    // Typed stubs are proxies whose equals the SDK refuses, so the waiting runs are kept by index.
    java.util.Set<Integer> waiting = new java.util.TreeSet<>();
    for (int i = 0; i < runs.size(); i++) {
      waiting.add(i);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      for (Integer index : List.copyOf(waiting)) {
        SiloDeploymentWorkflow run = runs.get(index);
        try {
          SiloProgress progress = run.progress();
          if (progress.pending() != null && SiloDeploymentWorkflow.APPROVE.equals(progress.pending().signal())) {
            run.approve(new Decision("bob", "plan reviewed"));
            waiting.remove(index);
          }
        } catch (WorkflowException notReadyYet) {
          // Answered once the first workflow task completed.
        }
      }
      pause();
    }
    List<Double> walls = new ArrayList<>();
    int activities = 0;
    for (int i = 0; i < runs.size(); i++) {
      SiloReport report = WorkflowStub.fromTyped(runs.get(i)).getResult(SiloReport.class);
      assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
      List<HistoryEvent> events = client.fetchHistory(silos.get(i).workflowId()).getEvents();
      long approved = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
          .findFirst().orElseThrow().getEventTime().getSeconds() * 1000
          + events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
          .findFirst().orElseThrow().getEventTime().getNanos() / 1_000_000;
      HistoryEvent last = events.get(events.size() - 1);
      long closed = last.getEventTime().getSeconds() * 1000 + last.getEventTime().getNanos() / 1_000_000;
      walls.add((double) (closed - approved));
      activities += (int) events.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).count();
      if (i == 0) {
        System.out.printf("OVERHEAD %s: history of %s: %d events%n", server, silos.get(i).siloId(), events.size());
        printActivityTimes(server, events);
        printSegments(server, events);
      }
    }
    walls.sort(Double::compare);
    System.out.printf("OVERHEAD %s: tuning %s%n", server, TUNING.describe());
    System.out.printf("OVERHEAD %s: %d silos at once, wall after approval ms min %.0f median %.0f max %.0f;"
        + " %d activities per silo%n", server, runs.size(), walls.get(0), walls.get(walls.size() / 2),
        walls.get(walls.size() - 1), activities / runs.size());
  }

  /** Per activity type: how many, total schedule-to-start and start-to-close, from the history. */
  private static void printActivityTimes(String server, List<HistoryEvent> events) {
    Map<Long, HistoryEvent> byId = new HashMap<>();
    events.forEach(event -> byId.put(event.getEventId(), event));
    Map<String, long[]> totals = new java.util.TreeMap<>();
    for (HistoryEvent event : events) {
      if (event.getEventType() != EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        continue;
      }
      HistoryEvent started = byId.get(event.getActivityTaskCompletedEventAttributes().getStartedEventId());
      HistoryEvent scheduled = byId.get(event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
      long[] total = totals.computeIfAbsent(
          scheduled.getActivityTaskScheduledEventAttributes().getActivityType().getName(), type -> new long[3]);
      total[0]++;
      total[1] += millis(started) - millis(scheduled);
      total[2] += millis(event) - millis(started);
    }
    totals.forEach((type, total) -> System.out.printf("OVERHEAD %s:   %-28s x%-2d waited %5d ms, ran %6d ms%n",
        server, type, total[0], total[1], total[2]));
  }

  /**
   * The stretches the orchestration changes touch: start to the last VALIDATE read before the
   * approval (allowed signers, config, desk, Netlify), the approval signal to the last read of the
   * check after it, and the first desk write scheduled to the last one completed.
   */
  private static void printSegments(String server, List<HistoryEvent> events) {
    Set<String> reads = Set.of("AllowedSigners", "LoadSiloConfig", "GetApplication", "DescribeSite");
    Set<String> writes = Set.of("UpdateSiloStatus", "LogSiloEvent", "UpdateApplication");
    Map<Long, String> typeOf = new HashMap<>();
    long start = millis(events.get(0));
    long signal = -1;
    long readsBefore = start;
    long readsAfter = -1;
    long deskFirst = -1;
    long deskLast = -1;
    boolean recheckOver = false;
    Set<Long> recheck = new java.util.HashSet<>();
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && signal < 0) {
        signal = millis(event);
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        String type = event.getActivityTaskScheduledEventAttributes().getActivityType().getName();
        typeOf.put(event.getEventId(), type);
        if (signal >= 0 && !reads.contains(type)) {
          recheckOver = true;
        } else if (signal >= 0 && !recheckOver) {
          recheck.add(event.getEventId());
        }
        if (writes.contains(type) && deskFirst < 0) {
          deskFirst = millis(event);
        }
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        String type = typeOf.get(event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        long scheduled = event.getActivityTaskCompletedEventAttributes().getScheduledEventId();
        if (reads.contains(type) && signal < 0) {
          readsBefore = millis(event);
        } else if (recheck.contains(scheduled)) {
          readsAfter = Math.max(readsAfter, millis(event));
        }
        if (writes.contains(type)) {
          deskLast = millis(event);
        }
      }
    }
    System.out.printf("OVERHEAD %s: segments ms: start to plan's reads done %d; approval to re-check's reads done %d;"
        + " desk writes %d%n", server, readsBefore - start, readsAfter - signal, deskLast - deskFirst);
  }

  private static long millis(HistoryEvent event) {
    return event.getEventTime().getSeconds() * 1000 + event.getEventTime().getNanos() / 1_000_000;
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Polls the runs' questions 50 times a second at most, so the probe does not take the worker's CPU. */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }

  /** Copies the example silo under {@code names}, every mention of {@code acme-crm} renamed. */
  private static void copySilo(Path configRoot, SiloNames names) throws IOException {
    Path example = Path.of("..", "examples", "config", "silos", "acme-crm").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.walk(example)) {
      for (Path source : files.toList()) {
        String relative = example.relativize(source).toString().replace("acme-crm", names.siloId());
        Path target = configRoot.resolve(names.siloId()).resolve(relative);
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.writeString(target, Files.readString(source).replace("acme-crm", names.siloId()));
        }
      }
    }
  }
}
