package dev.silo.activities.docker;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.silo.workflows.config.Healthcheck;
import dev.silo.workflows.docker.ContainerHealth;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Watches a started container until it is known to be up or not. Its Compose healthcheck is run
 * through exec with the healthcheck's own interval, timeout, retries and start period, as the
 * engine would run it: engines without systemd (Podman in a CI container) never run healthchecks
 * themselves, so their health status stays {@code starting}.
 *
 * <p>Two differences from the engine: the first probe runs at once rather than one interval after
 * the start, so a service that is ready early is reported early; and a probe that outlives its
 * timeout counts as failed but is left running, because the API cannot kill an exec.
 */
final class HealthWatch {

  /**
   * How long a container without a healthcheck must keep running after its start to count as up.
   * Compose does not wait at all; this catches a command that exits at once (a typo, a missing
   * variable) instead of reporting it as running.
   */
  static final Duration SETTLE = Duration.ofSeconds(2);

  /** How many lines of a dead container's log its failure quotes. */
  private static final int LOG_LINES = 20;

  /** Docker's defaults for a zero interval, timeout or retries. */
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_RETRIES = 3;

  private final DockerEngine engine;

  HealthWatch(DockerEngine engine) {
    this.engine = engine;
  }

  /**
   * Where the container ended up and why.
   *
   * @param health {@link ContainerHealth#HEALTHY}, {@link ContainerHealth#RUNNING}, {@link
   *     ContainerHealth#UNHEALTHY} or {@link ContainerHealth#FAILED}
   * @param message why it is not up, or null
   */
  record Outcome(ContainerHealth health, String message) {}

  /**
   * @param healthcheck the service's healthcheck, or null
   * @param restartsBefore the container's restart count before this start; more restarts mean its
   *     process died and the engine restarted it
   * @param justStarted whether this call started it, so a container without a healthcheck is given
   *     {@link #SETTLE} to show it stays up
   */
  Outcome watch(
      String containerId,
      Healthcheck healthcheck,
      int restartsBefore,
      boolean justStarted,
      ActivityHeartbeat heartbeat) {
    List<String> probe = probe(healthcheck);
    if (probe.isEmpty()) {
      if (justStarted) {
        pause(SETTLE, heartbeat, "waiting " + SETTLE.toSeconds() + " s to see it stays up");
      }
      return death(containerId, restartsBefore)
          .map(reason -> new Outcome(ContainerHealth.FAILED, reason))
          .orElse(new Outcome(ContainerHealth.RUNNING, null));
    }
    Duration interval = positiveOr(healthcheck.interval(), DEFAULT_INTERVAL);
    Duration timeout = positiveOr(healthcheck.timeout(), DEFAULT_TIMEOUT);
    int retries = healthcheck.retries() > 0 ? healthcheck.retries() : DEFAULT_RETRIES;
    Duration startPeriod =
        healthcheck.startPeriod() == null ? Duration.ZERO : healthcheck.startPeriod();
    long startedAt = System.nanoTime();
    int failures = 0;
    int probes = 0;
    while (true) {
      Optional<String> death = death(containerId, restartsBefore);
      if (death.isPresent()) {
        return new Outcome(ContainerHealth.FAILED, death.get());
      }
      String progress = "health probe " + (++probes) + ", " + failures + " failures counted";
      ExecResult result = engine.exec(containerId, probe, timeout, () -> heartbeat.beat(progress));
      if (result.succeeded()) {
        return new Outcome(ContainerHealth.HEALTHY, null);
      }
      boolean inStartPeriod = System.nanoTime() - startedAt < startPeriod.toNanos();
      if (!inStartPeriod && ++failures >= retries) {
        return death(containerId, restartsBefore)
            .map(reason -> new Outcome(ContainerHealth.FAILED, reason))
            .orElse(
                new Outcome(
                    ContainerHealth.UNHEALTHY,
                    "healthcheck failed "
                        + failures
                        + " times in a row; last probe: "
                        + describe(result)));
      }
      pause(interval, heartbeat, progress);
    }
  }

  /** The argv of a healthcheck test; empty when there is nothing to run. */
  static List<String> probe(Healthcheck healthcheck) {
    if (healthcheck == null || healthcheck.test().size() < 2) {
      return List.of();
    }
    List<String> test = healthcheck.test();
    return switch (test.get(0)) {
      case "CMD" -> test.subList(1, test.size());
      case "CMD-SHELL" -> List.of("/bin/sh", "-c", test.get(1));
      default -> List.of();
    };
  }

  /** Why the container is not running, with its exit code and last log lines; empty if it is. */
  private Optional<String> death(String containerId, int restartsBefore) {
    Optional<InspectContainerResponse> found = engine.container(containerId);
    if (found.isEmpty()) {
      return Optional.of("the container was removed while it was being watched");
    }
    InspectContainerResponse container = found.get();
    InspectContainerResponse.ContainerState state = container.getState();
    boolean running =
        Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting());
    int restarts = restartCount(container);
    if (running && restarts <= restartsBefore) {
      return Optional.empty();
    }
    StringBuilder reason = new StringBuilder();
    if (running) {
      reason
          .append("it exited and was restarted ")
          .append(restarts - restartsBefore)
          .append(" times");
    } else {
      reason.append("it exited with code ").append(state.getExitCodeLong());
      if (Boolean.TRUE.equals(state.getRestarting())) {
        reason.append(" and is restarting");
      }
    }
    if (Boolean.TRUE.equals(state.getOOMKilled())) {
      reason.append(" (killed: out of memory)");
    }
    if (state.getError() != null && !state.getError().isBlank()) {
      reason.append(" (").append(state.getError()).append(')');
    }
    String log = engine.logTail(containerId, LOG_LINES).strip();
    reason.append(log.isEmpty() ? "; its log is empty" : "; last log lines:\n" + log);
    return Optional.of(reason.toString());
  }

  static int restartCount(InspectContainerResponse container) {
    return container.getRestartCount() == null ? 0 : container.getRestartCount();
  }

  private static String describe(ExecResult result) {
    String output = result.output() == null ? "" : result.output().strip();
    String status =
        result.timedOut()
            ? "timed out"
            : result.exitCode() == null ? "could not run" : "exit code " + result.exitCode();
    return output.isEmpty() ? status : status + ": " + output;
  }

  private static Duration positiveOr(Duration duration, Duration fallback) {
    return duration == null || duration.isZero() || duration.isNegative() ? fallback : duration;
  }

  /** Sleeps, heartbeating so a long interval never times the activity out. */
  private static void pause(Duration duration, ActivityHeartbeat heartbeat, String progress) {
    try {
      heartbeat.pause(duration, progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while watching a container", e);
    }
  }
}
