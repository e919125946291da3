package dev.silo.worker.bench;

import dev.silo.sandbox.CallLog;
import dev.silo.sandbox.Sandbox;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One case of the benchmark: N silos deployed at once at latency L, each approved as soon as its
 * plan awaits approval, with one or more worker processes; optionally one worker SIGKILLed some
 * seconds in. It reads every run's history and the sandbox's call records and computes {@link
 * CaseResult}.
 */
final class BenchCase {

  /**
   * What the case runs.
   *
   * @param name distinguishes this case's silo names from the other cases'
   * @param killAfter when to SIGKILL the first worker, from the first deploy command; null for never
   * @param bound how long the case waits for its runs at most
   */
  record Settings(String name, int silos, Duration latency, int workers, Duration killAfter, boolean rateLimits,
      Duration bound) {}

  private static final String BENCH = "bench";
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int APPROVE_ATTEMPTS = 5;

  private final BenchRig rig;
  private final WorkerPool pool;
  private final Settings settings;
  private final Consumer<String> notice;

  BenchCase(BenchRig rig, WorkerPool pool, Settings settings, Consumer<String> notice) {
    this.rig = rig;
    this.pool = pool;
    this.settings = settings;
    this.notice = notice;
  }

  CaseResult run() throws IOException, InterruptedException {
    Sandbox sandbox = rig.sandbox();
    sandbox.fly().faults().latency(settings.latency());
    sandbox.netlify().faults().latency(settings.latency());
    sandbox.desk().faults().latency(settings.latency());
    sandbox.fly().enforceRateLimits(settings.rateLimits());
    sandbox.netlify().enforceRateLimits(settings.rateLimits());
    // Each silo's pg app gets a PostgreSQL cluster started now, so the emulator's start-up of a
    // database is not what the case measures.
    sandbox.fly().startPostgresSpares(settings.silos());
    List<SiloNames> silos = new ArrayList<>();
    for (int i = 0; i < settings.silos(); i++) {
      SiloNames silo = new SiloNames(BENCH + settings.name() + "n" + i, BenchRig.EXAMPLE.app());
      rig.addSilo(silo);
      silos.add(silo);
    }
    ExecutorService commands = Executors.newFixedThreadPool(4);
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    Map<String, String> failures = new ConcurrentHashMap<>();
    try {
      List<WorkerProcess> workers = pool.ready(settings.workers());
      sandbox.calls().clear();
      Map<String, Double> cpuBefore = ProcessCpu.used(workers, rig.serverPid());
      Instant begin = Instant.now();
      for (SiloNames silo : silos) {
        commands.submit(() -> rig.cli("deploy", silo.client(), silo.app(), "--unsigned", "--approver", BENCH,
            "--requester", "bench-requester", "--skip-containers")
            .ifPresent(failed -> failures.put(silo.siloId(), failed)));
      }
      Future<WorkerKill> kill = settings.killAfter() == null || workers.size() < 2
          ? CompletableFuture.completedFuture(null)
          : killer.schedule(() -> WorkerKill.killFirst(rig, silos, workers, begin, notice),
              settings.killAfter().toMillis(), TimeUnit.MILLISECONDS);
      Instant deadline = begin.plus(settings.bound());
      approveAll(silos, commands, failures, deadline);
      awaitAll(silos, failures, deadline);
      Map<String, Double> cpuPerSilo = new TreeMap<>();
      ProcessCpu.used(workers, rig.serverPid()).forEach((process, seconds) -> cpuPerSilo.put(process,
          (seconds - cpuBefore.getOrDefault(process, 0.0)) / silos.size()));
      double heap = 0;
      double rss = 0;
      for (WorkerProcess worker : workers) {
        rss = Math.max(rss, worker.peakRssMb());
        heap = Math.max(heap, worker.peakHeapMb());
      }
      return result(silos, failures, begin, WorkerKill.done(kill, notice), heap, rss, cpuPerSilo);
    } finally {
      killer.shutdownNow();
      commands.shutdownNow();
    }
  }

  /**
   * Approves each silo once it awaits approval (the CLI's {@code approve}, unsigned as the demo's);
   * the approvals run on {@code commands} while this goes on polling the others.
   */
  private void approveAll(List<SiloNames> silos, ExecutorService commands, Map<String, String> failures,
      Instant deadline) throws InterruptedException {
    WorkflowClient client = rig.connection().client();
    List<SiloNames> waiting = new ArrayList<>(silos);
    while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
      for (SiloNames silo : List.copyOf(waiting)) {
        if (failures.containsKey(silo.siloId())) {
          waiting.remove(silo);
          continue;
        }
        SiloStatus status;
        try {
          status = client.newWorkflowStub(SiloDeploymentWorkflow.class, silo.workflowId()).progress().status();
        } catch (RuntimeException notStartedYet) {
          continue;
        }
        if (status == SiloStatus.AWAITING_APPROVAL) {
          waiting.remove(silo);
          commands.submit(() -> approve(silo, failures));
        } else if (status != SiloStatus.RUNNING) {
          waiting.remove(silo);
        }
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * Approves through the CLI, again after a second when it could not: the CLI reads the plan with a
   * query, which waits for the worker holding the run, up to 10 s when that worker was just killed.
   */
  private void approve(SiloNames silo, Map<String, String> failures) {
    Optional<String> refused = Optional.empty();
    for (int attempt = 0; attempt < APPROVE_ATTEMPTS; attempt++) {
      refused = rig.cli("approve", silo.client(), silo.app(), "--unsigned", "--as", BENCH, "--comment", "benchmark");
      if (refused.isEmpty()) {
        return;
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    failures.put(silo.siloId(), refused.orElse("the approval was interrupted"));
  }

  /** Waits for every run's end, noting the runs that did not deploy. */
  private void awaitAll(List<SiloNames> silos, Map<String, String> failures, Instant deadline) {
    WorkflowClient client = rig.connection().client();
    for (SiloNames silo : silos) {
      if (failures.containsKey(silo.siloId())) {
        continue;
      }
      long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      try {
        SiloReport report = client.newUntypedWorkflowStub(silo.workflowId())
            .getResult(left, TimeUnit.MILLISECONDS, SiloReport.class);
        if (report.status() != SiloStatus.DEPLOYED) {
          failures.put(silo.siloId(), "ended " + report.status() + ": " + report.failure());
        }
      } catch (WorkflowFailedException failed) {
        Throwable cause = failed;
        while (cause.getCause() != null) {
          cause = cause.getCause();
        }
        failures.put(silo.siloId(), "failed: " + cause.getMessage());
      } catch (TimeoutException e) {
        failures.put(silo.siloId(), "did not end within the case's bound of " + settings.bound().toSeconds() + " s");
      }
    }
  }

  private CaseResult result(List<SiloNames> silos, Map<String, String> failures, Instant begin, WorkerKill kill,
      double heap, double rss, Map<String, Double> cpuPerSilo) {
    Instant lastEnd = begin;
    List<CallLog.Call> calls = rig.sandbox().calls().calls();
    List<Double> wall = new ArrayList<>();
    List<Double> critical = new ArrayList<>();
    List<Double> sequential = new ArrayList<>();
    List<Double> overCritical = new ArrayList<>();
    List<Double> overSequential = new ArrayList<>();
    List<Double> overhead = new ArrayList<>();
    List<Double> activities = new ArrayList<>();
    List<Double> events = new ArrayList<>();
    List<Double> scheduleToStart = new ArrayList<>();
    List<Double> moved = new ArrayList<>();
    Map<String, List<Double>> byType = new TreeMap<>();
    List<Double> taskWaits = new ArrayList<>();
    List<Double> taskRuns = new ArrayList<>();
    int onVictim = 0;
    int notMoved = 0;
    Set<String> unknown = new TreeSet<>();
    List<String> duplicates = new ArrayList<>();
    List<String> path = List.of();
    for (SiloNames silo : silos) {
      duplicates.addAll(SandboxDuplicates.of(rig.sandbox(), silo));
      SiloHistory history;
      try {
        history = SiloHistory.of(silo.workflowId(),
            rig.connection().client().fetchHistory(silo.workflowId()).getEvents());
      } catch (RuntimeException e) {
        failures.putIfAbsent(silo.siloId(), "no history: " + e.getMessage());
        continue;
      }
      if (kill != null) {
        Set<String> ids = kill.activityIds().getOrDefault(silo.workflowId(), Set.of());
        for (SiloHistory.Activity activity : history.activities()) {
          if (ids.contains(activity.activityId())) {
            onVictim++;
            if (activity.started() != null && activity.started().isAfter(kill.at())) {
              moved.add(SiloFigures.millis(Duration.between(kill.at(), activity.started())));
            } else {
              notMoved++;
            }
          }
        }
      }
      history.workflowTaskWaits().forEach(wait -> taskWaits.add(SiloFigures.millis(wait)));
      history.workflowTaskRuns().forEach(run -> taskRuns.add(SiloFigures.millis(run)));
      for (SiloHistory.Activity activity : history.activities()) {
        if (activity.scheduled() != null && activity.closed() != null) {
          byType.computeIfAbsent(activity.type(), type -> new ArrayList<>())
              .add(SiloFigures.millis(Duration.between(activity.scheduled(), activity.closed())));
        }
      }
      SiloFigures figures = SiloFigures.of(history, calls);
      unknown.addAll(figures.unknownTypes());
      events.add((double) figures.events());
      activities.add((double) figures.activities());
      scheduleToStart.addAll(figures.scheduleToStart());
      if (history.closed() == null || failures.containsKey(silo.siloId())) {
        continue;
      }
      lastEnd = history.closed().isAfter(lastEnd) ? history.closed() : lastEnd;
      if (path.isEmpty()) {
        path = figures.pathSteps().stream().map(Enum::name).toList();
      }
      wall.add(figures.wall());
      critical.add(figures.criticalPath());
      sequential.add(figures.sequentialSum());
      overCritical.add(figures.criticalPath() > 0 ? figures.wall() / figures.criticalPath() : 0);
      overSequential.add(figures.sequentialSum() > 0 ? figures.wall() / figures.sequentialSum() : 0);
      overhead.add(figures.activitiesOnPath() > 0
          ? (figures.wall() - figures.criticalPath()) / figures.activitiesOnPath() : 0);
    }
    long sent = calls.stream().filter(call -> call.status() == 429).count();
    long received = calls.stream().filter(call -> call.status() == 429 && call.caller() != null).count();
    CaseResult.Kill killed = kill == null ? null : new CaseResult.Kill(
        Duration.between(begin, kill.at()).toMillis() / 1000.0, onVictim, Spread.of(moved), notMoved);
    Collections.sort(duplicates);
    return new CaseResult(settings.silos(), settings.latency().toMillis(), settings.workers(), settings.rateLimits(),
        Spread.of(wall), SiloFigures.millis(Duration.between(begin, lastEnd)), Spread.of(critical),
        Spread.of(sequential), Spread.of(overCritical), Spread.of(overSequential), Spread.of(overhead), path,
        Spread.of(activities), Spread.of(scheduleToStart).p95(), Spread.of(events), heap, rss, sent, received,
        failures.size(), new TreeMap<>(failures), duplicates.size(), duplicates, List.copyOf(unknown),
        CaseResult.Calls.byVendor(calls), CaseResult.Calls.perSiloByActivity(calls, silos.size()),
        Spread.medians(byType), Spread.of(taskWaits), Spread.of(taskRuns), cpuPerSilo,
        cpuPerSilo.values().stream().mapToDouble(Double::doubleValue).sum() * silos.size()
            / Runtime.getRuntime().availableProcessors() * 1000, killed);
  }
}
