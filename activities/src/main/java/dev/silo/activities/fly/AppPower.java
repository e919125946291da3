package dev.silo.activities.fly;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.fly.FlyAppPowered;
import dev.silo.workflows.fly.MachinePower;
import dev.silo.workflows.fly.PowerFlyAppRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops or starts every machine of an app and waits for the state, in slices of Fly's own wait,
 * heartbeating between two. A machine already in the state is left alone, so a retry or a second
 * run changes nothing; machines are never destroyed.
 */
final class AppPower {

  /** Whether the machines go down or up, with the states that already count as done. */
  enum Target {
    STOPPED("stopped", Set.of("stopped", "suspended", "failed")),
    STARTED("started", Set.of("started"));

    final String state;
    final Set<String> done;

    Target(String state, Set<String> done) {
      this.state = state;
      this.done = done;
    }
  }

  private static final Set<String> GONE = Set.of("destroying", "destroyed");

  private static final Logger log = LoggerFactory.getLogger(AppPower.class);

  private final FlyClient client;
  private final DeployTimeouts timeouts;

  AppPower(FlyClient client, DeployTimeouts timeouts) {
    this.client = client;
    this.timeouts = timeouts;
  }

  FlyAppPowered power(PowerFlyAppRequest request, Target target) {
    String app = request.appName();
    Optional<FlyClient.App> found = client.app(app);
    if (found.isEmpty()) {
      log.info("Fly app {} does not exist; nothing to make {}", app, target.state);
      return new FlyAppPowered(app, false, List.of());
    }
    if (!request.org().equals(found.get().orgSlug())) {
      throw ApplicationFailure.newNonRetryableFailure("Fly app " + app + " belongs to another organization than "
          + request.org() + "; its machines were not touched", FailureType.FORBIDDEN.type());
    }
    ActivityHeartbeat heartbeat = ActivityHeartbeat.current();
    List<FlyClient.Machine> machines =
        client.machines(app).stream().filter(machine -> !GONE.contains(machine.state())).toList();
    List<FlyClient.Machine> asked = new ArrayList<>();
    for (FlyClient.Machine machine : machines) {
      if (!target.done.contains(machine.state())) {
        heartbeat.beat("machine " + machine.id() + " of " + app + ": " + machine.state() + ", asking " + target.state);
        if (target == Target.STOPPED) {
          client.stopMachine(app, machine.id());
        } else {
          client.startMachine(app, machine.id());
        }
        asked.add(machine);
      }
    }
    List<MachinePower> powered = new ArrayList<>();
    for (FlyClient.Machine machine : machines) {
      boolean changed = asked.contains(machine);
      String after = changed ? await(app, machine.id(), target, heartbeat) : machine.state();
      powered.add(new MachinePower(machine.id(), machine.state(), after, changed));
    }
    log.info("Fly app {}: machines {}", app, powered);
    return new FlyAppPowered(app, true, powered);
  }

  /** Waits until the machine is in the target state; a machine that ends otherwise fails the call. */
  private String await(String app, String machineId, Target target, ActivityHeartbeat heartbeat) {
    long deadline = System.nanoTime() + timeouts.start().toNanos();
    while (true) {
      FlyClient.Machine machine = client.machine(app, machineId);
      heartbeat.beat("machine " + machineId + " of " + app + ": " + machine.state());
      if (target.state.equals(machine.state())) {
        return machine.state();
      }
      if (target == Target.STARTED && MachineWait.ENDED.contains(machine.state())
          && !"stopped".equals(machine.state())) {
        throw MachineWait.failed(app, machineId, "ended " + machine.state() + " instead of starting");
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw MachineWait.failed(app, machineId, "is still " + machine.state() + " after " + timeouts.start()
            + " instead of " + target.state);
      }
      long slice = Math.min(timeouts.waitSlice().toNanos(), remaining);
      int seconds = (int) Math.max(1, Math.min(60, Duration.ofNanos(slice).toSeconds()));
      client.waitForState(app, machineId, null, target.state, seconds);
    }
  }
}
