package dev.silo.activities.fly;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Waits until a machine runs a given version of its config and its checks pass: Fly's own wait
 * endpoint in slices, each followed by a look at the machine and a heartbeat, then polling of the
 * checks. A machine that ends failed or stopped, or whose checks still fail when time is up, is a
 * {@code DEPLOY_FAILED}; retrying would only fail again.
 */
final class MachineWait {

  /** Reports progress (a heartbeat in an activity); the text names states, never config values. */
  @FunctionalInterface
  interface Progress {
    void report(String progress);
  }

  /** The states a machine does not leave by itself toward started; {@link MachineWatch} uses them too. */
  static final Set<String> ENDED = Set.of("failed", "stopped", "suspended", "destroying", "destroyed");

  private final FlyClient client;
  private final DeployTimeouts timeouts;

  MachineWait(FlyClient client, DeployTimeouts timeouts) {
    this.client = client;
    this.timeouts = timeouts;
  }

  /**
   * @param instanceId the config version to wait for (the create or update answer's {@code
   *     instance_id}), so that the previous version still running is not taken for the new one;
   *     null for whatever runs
   * @return the machine, started, with its checks passing
   */
  FlyClient.Machine untilHealthy(String app, String machineId, String instanceId, Progress progress) {
    FlyClient.Machine started = untilStarted(app, machineId, instanceId, progress);
    return untilChecksPass(app, started, progress);
  }

  private FlyClient.Machine untilStarted(String app, String machineId, String instanceId, Progress progress) {
    long deadline = System.nanoTime() + timeouts.start().toNanos();
    while (true) {
      FlyClient.Machine machine = client.machine(app, machineId);
      boolean thisVersion = instanceId == null || instanceId.equals(machine.instanceId());
      progress.report("machine " + machineId + " of " + app + ": " + machine.state()
          + (thisVersion ? "" : " (previous version)"));
      if (thisVersion && "started".equals(machine.state())) {
        return machine;
      }
      if (thisVersion && ENDED.contains(machine.state())) {
        throw failed(app, machineId, "ended " + machine.state() + " instead of starting");
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw failed(app, machineId, "is still " + machine.state() + " after " + timeouts.start());
      }
      long slice = Math.min(timeouts.waitSlice().toNanos(), remaining);
      int seconds = (int) Math.max(1, Math.min(60, Duration.ofNanos(slice).toSeconds()));
      client.waitForState(app, machineId, instanceId, "started", seconds);
    }
  }

  private FlyClient.Machine untilChecksPass(String app, FlyClient.Machine started, Progress progress) {
    long deadline = System.nanoTime() + timeouts.health().toNanos();
    FlyClient.Machine machine = started;
    while (true) {
      List<FlyClient.Check> failing =
          machine.checks().stream().filter(check -> !"passing".equals(check.status())).toList();
      if (failing.isEmpty()) {
        return machine;
      }
      progress.report("machine " + machine.id() + " of " + app + ": started, checks " + summary(failing));
      if (System.nanoTime() - deadline >= 0) {
        throw failed(app, machine.id(), "checks are not passing after " + timeouts.health() + ": "
            + failing.stream().map(check -> check.name() + " " + check.status()
                + (check.output().isBlank() ? "" : " (" + check.output() + ")")).collect(Collectors.joining("; ")));
      }
      pause(timeouts.pollInterval());
      machine = client.machine(app, machine.id());
      if (ENDED.contains(machine.state())) {
        throw failed(app, machine.id(), "ended " + machine.state() + " while its checks were not passing");
      }
    }
  }

  private static String summary(List<FlyClient.Check> failing) {
    return failing.stream().map(check -> check.name() + "=" + check.status()).collect(Collectors.joining(", "));
  }

  /** The failure of a machine that will not become healthy; {@link MachineWatch} ends waits with it too. */
  static ApplicationFailure failed(String app, String machineId, String what) {
    return ApplicationFailure.newNonRetryableFailure(
        "Fly machine " + machineId + " of " + app + " " + what, FailureType.DEPLOY_FAILED.type());
  }

  private static void pause(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a Fly machine's checks", e);
    }
  }
}
