package dev.silo.activities.fly;

import dev.silo.activities.http.CallerHeader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Waits, for every machine the worker was asked to wait for, until it runs the submitted version of
 * its config and its checks pass, and tells each machine's {@link Waiter} the outcome. One watcher
 * serves the whole worker, so no activity holds a worker slot while its machine boots, and every
 * call it makes to Fly for a wait goes through one bounded pool, where it can be throttled.
 *
 * <p>A machine is first waited for with Fly's own wait endpoint, in slices of one second doubling to
 * {@link DeployTimeouts#waitSlice()}, each followed by one look at the machine; once it has started,
 * its checks are looked at again after 150 ms, doubling to one second, until they pass. A machine
 * that ends failed or stopped, or whose checks still fail when time is up, is a {@code
 * DEPLOY_FAILED}, as in {@link MachineWait}. Any other failure of a call (Fly unavailable, the
 * request refused) ends the wait with that failure, classified by {@link FlyClient}, and the
 * activity's retry waits again.
 *
 * <p>Every waiter is asked to heartbeat every {@link #BEAT_INTERVAL}; a waiter that answers that
 * nobody waits any longer (the attempt timed out or was cancelled) is dropped.
 */
final class MachineWatch {

  /** Where a wait's progress and outcome go: in the worker, the activity attempt that asked for it. */
  interface Waiter {

    /**
     * Reports progress (a heartbeat); the text names states, never config values.
     *
     * @return false when nobody waits any longer, and the watch stops
     */
    boolean beat(String progress);

    /** The machine started and its checks pass. */
    void healthy(FlyClient.Machine machine);

    /** The wait failed; {@code failure} is classified as the activity's failure. */
    void failed(RuntimeException failure);
  }

  /** How often every waiter heartbeats: well inside the wait activity's heartbeat timeout. */
  static final Duration BEAT_INTERVAL = Duration.ofSeconds(2);

  /** The first pause before the checks of a started machine are looked at again. */
  static final Duration FIRST_CHECKS_POLL = Duration.ofMillis(150);

  /** The longest pause between two looks at the checks. */
  static final Duration LONGEST_CHECKS_POLL = Duration.ofSeconds(1);

  /** How many calls to Fly the watcher makes at once, wait requests (which block) included. */
  static final int DEFAULT_CONCURRENT_CALLS = 64;

  private final FlyClient client;
  private final DeployTimeouts timeouts;
  private final ExecutorService calls;
  private final ScheduledExecutorService clock;
  private final ScheduledExecutorService beats;
  private final Set<Watch> watching = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  MachineWatch(FlyClient client, DeployTimeouts timeouts, int concurrentCalls) {
    this.client = client;
    this.timeouts = timeouts;
    ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrentCalls, concurrentCalls, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemons("fly-machine-watch"));
    pool.allowCoreThreadTimeOut(true);
    this.calls = pool;
    this.clock = scheduler("fly-machine-watch-clock");
    this.beats = scheduler("fly-machine-watch-heartbeats");
    beats.scheduleWithFixedDelay(this::beatAll, BEAT_INTERVAL.toMillis(), BEAT_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Starts waiting for the machine and returns at once; {@code waiter} hears the outcome.
   *
   * @param instanceId the config version to wait for, or null for whatever runs
   */
  void watch(String app, String machineId, String instanceId, Waiter waiter) {
    Watch watch = new Watch(app, machineId, instanceId, waiter);
    watching.add(watch);
    run(watch::waitForStart);
  }

  /**
   * Stops watching, as a worker that dies stops: the waits under way are neither completed nor
   * heartbeaten again, so their activities time out by heartbeat and are retried elsewhere.
   */
  void close() {
    closed = true;
    beats.shutdownNow();
    clock.shutdownNow();
    calls.shutdownNow();
    watching.clear();
  }

  /** How many machines are being waited for now. */
  int waiting() {
    return watching.size();
  }

  private void beatAll() {
    for (Watch watch : watching) {
      try {
        if (!watch.waiter.beat(watch.progress)) {
          watch.drop();
        }
      } catch (RuntimeException e) {
        // A heartbeat that could not be sent is not the end of the wait: the next one may get
        // through, and the heartbeat timeout decides otherwise.
      }
    }
  }

  private void run(Runnable step) {
    try {
      calls.execute(step);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the Fly machine watcher is shut down", e);
    }
  }

  private void later(Duration delay, Runnable step) {
    clock.schedule(() -> run(step), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** One machine being waited for. Its steps run one after the other, never two at once. */
  private final class Watch {

    private final String app;
    private final String machineId;
    private final String instanceId;
    private final Waiter waiter;
    /** The activity this wait is for, named on every Fly request the wait makes. */
    private final Optional<String> caller = CallerHeader.current();
    private final long startDeadline;
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile String progress;
    private Duration slice = Duration.ofSeconds(1);
    private Duration checksPoll = FIRST_CHECKS_POLL;
    private long healthDeadline;

    Watch(String app, String machineId, String instanceId, Waiter waiter) {
      this.app = app;
      this.machineId = machineId;
      this.instanceId = instanceId;
      this.waiter = waiter;
      this.startDeadline = System.nanoTime() + timeouts.start().toNanos();
      this.progress = "machine " + machineId + " of " + app + ": submitted";
    }

    void waitForStart() {
      guarded(() -> {
        long remaining = startDeadline - System.nanoTime();
        int seconds = (int) Math.max(1, Math.min(60, Math.min(slice.toSeconds(), Duration.ofNanos(remaining).toSeconds())));
        slice = min(slice.multipliedBy(2), timeouts.waitSlice());
        client.waitForState(app, machineId, instanceId, "started", seconds);
        FlyClient.Machine machine = client.machine(app, machineId);
        boolean thisVersion = instanceId == null || instanceId.equals(machine.instanceId());
        progress = "machine " + machineId + " of " + app + ": " + machine.state() + (thisVersion ? "" : " (previous version)");
        if (thisVersion && "started".equals(machine.state())) {
          healthDeadline = System.nanoTime() + timeouts.health().toNanos();
          judgeChecks(machine);
        } else if (thisVersion && MachineWait.ENDED.contains(machine.state())) {
          fail("ended " + machine.state() + " instead of starting");
        } else if (System.nanoTime() - startDeadline >= 0) {
          fail("is still " + machine.state() + " after " + timeouts.start());
        } else {
          run(this::waitForStart);
        }
      });
    }

    void lookAtChecks() {
      guarded(() -> {
        FlyClient.Machine machine = client.machine(app, machineId);
        if (MachineWait.ENDED.contains(machine.state())) {
          fail("ended " + machine.state() + " while its checks were not passing");
        } else {
          judgeChecks(machine);
        }
      });
    }

    private void judgeChecks(FlyClient.Machine machine) {
      List<FlyClient.Check> failing =
          machine.checks().stream().filter(check -> !"passing".equals(check.status())).toList();
      if (failing.isEmpty()) {
        if (end()) {
          waiter.healthy(machine);
        }
        return;
      }
      progress = "machine " + machineId + " of " + app + ": started, checks " + failing.stream()
          .map(check -> check.name() + "=" + check.status()).collect(Collectors.joining(", "));
      if (System.nanoTime() - healthDeadline >= 0) {
        fail("checks are not passing after " + timeouts.health() + ": " + failing.stream()
            .map(check -> check.name() + " " + check.status() + (check.output().isBlank() ? "" : " (" + check.output() + ")"))
            .collect(Collectors.joining("; ")));
        return;
      }
      Duration pause = checksPoll;
      checksPoll = min(checksPoll.multipliedBy(2), LONGEST_CHECKS_POLL);
      later(pause, this::lookAtChecks);
    }

    /** Runs a step unless the wait is over, and ends the wait with any failure the step meets. */
    private void guarded(Runnable step) {
      if (over.get()) {
        return;
      }
      try {
        CallerHeader.actingFor(caller, step);
      } catch (RuntimeException failure) {
        if (end()) {
          waiter.failed(failure);
        }
      }
    }

    private void fail(String what) {
      if (end()) {
        waiter.failed(MachineWait.failed(app, machineId, what));
      }
    }

    /** Ends the wait; true for the one caller that ended it, unless the watcher is closed. */
    private boolean end() {
      watching.remove(this);
      return over.compareAndSet(false, true) && !closed;
    }

    void drop() {
      end();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ScheduledExecutorService scheduler(String name) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemons(name));
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
