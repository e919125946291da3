package dev.silo.activities.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.docker.ContainerPower;
import dev.silo.workflows.docker.ContainersPowered;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker compose stop} and {@code start} for a project: its containers, found by the
 * project's Compose label, are stopped or started and never removed, so volumes, networks and
 * config stay as the deployment left them.
 */
final class ProjectPower {

  /** Stops containers the way teardown does: in parallel, heartbeating. */
  @FunctionalInterface
  interface Stopper {
    void stopAll(List<Container> containers, ActivityHeartbeat heartbeat);
  }

  /** Engine states in which a container's process runs or is about to. */
  private static final Set<String> RUNNING = Set.of("running", "restarting");

  private static final Logger log = LoggerFactory.getLogger(ProjectPower.class);

  private final DockerEngine engine;
  private final Stopper stopper;

  ProjectPower(DockerEngine engine, Stopper stopper) {
    this.engine = engine;
    this.stopper = stopper;
  }

  ContainersPowered stop(String projectName) {
    ComposeProject project = new ComposeProject(projectName);
    ActivityHeartbeat heartbeat = ActivityHeartbeat.current();
    List<Container> containers = inCreationOrder(engine.containers(project.labelFilter()));
    stopper.stopAll(containers, heartbeat);
    List<ContainerPower> powered = new ArrayList<>();
    for (Container container : containers) {
      String after = stateNow(container);
      boolean wasRunning = RUNNING.contains(container.getState());
      String problem = RUNNING.contains(after) ? "still " + after + " after the stop" : null;
      powered.add(new ContainerPower(DockerActivitiesImpl.nameOf(container), service(container),
          container.getState(), after, wasRunning && problem == null, problem));
    }
    log.info("Stopped project {}: {}", projectName, powered);
    return new ContainersPowered(projectName, powered);
  }

  /**
   * Starts the stopped containers one after the other, in the order they were created: the
   * deployment created each after what it depends on, so that order respects {@code depends_on}.
   */
  ContainersPowered start(String projectName) {
    ComposeProject project = new ComposeProject(projectName);
    ActivityHeartbeat heartbeat = ActivityHeartbeat.current();
    List<ContainerPower> powered = new ArrayList<>();
    for (Container container : inCreationOrder(engine.containers(project.labelFilter()))) {
      String name = DockerActivitiesImpl.nameOf(container);
      String before = container.getState();
      if (RUNNING.contains(before)) {
        powered.add(new ContainerPower(name, service(container), before, before, false, null));
        continue;
      }
      heartbeat.beat("starting " + name);
      String problem = null;
      try {
        engine.start(container.getId());
      } catch (EngineRefusal refusal) {
        problem = "the container could not be started: " + refusal.getMessage();
      }
      String after = stateNow(container);
      if (problem == null && !RUNNING.contains(after)) {
        problem = "is " + after + " right after its start";
      }
      powered.add(new ContainerPower(name, service(container), before, after, problem == null, problem));
    }
    log.info("Started project {}: {}", projectName, powered);
    return new ContainersPowered(projectName, powered);
  }

  private String stateNow(Container container) {
    return engine.container(container.getId())
        .map(InspectContainerResponse::getState)
        .map(InspectContainerResponse.ContainerState::getStatus)
        .orElse("gone");
  }

  private static List<Container> inCreationOrder(List<Container> containers) {
    return containers.stream()
        .sorted(Comparator.comparing((Container c) -> c.getCreated() == null ? 0L : c.getCreated())
            .thenComparing(DockerActivitiesImpl::nameOf))
        .toList();
  }

  private static String service(Container container) {
    Map<String, String> labels = container.getLabels();
    return labels == null ? null : labels.get(ComposeProject.SERVICE_LABEL);
  }
}
