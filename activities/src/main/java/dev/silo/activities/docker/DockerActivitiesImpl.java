package dev.silo.activities.docker;

import dev.silo.workflows.docker.ProjectContainers;
import dev.silo.workflows.docker.InspectProjectRequest;
import dev.silo.workflows.docker.ContainerState;
import dev.silo.activities.heartbeat.ActivityHeartbeat;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.ContainersPowered;
import dev.silo.workflows.docker.PowerContainersRequest;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.docker.DescribeProjectRequest;
import dev.silo.workflows.docker.ProjectResources;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DockerActivities} on a container engine, with Compose's names and labels so that {@code
 * docker compose -p <project> ps} and {@code docker ps --filter
 * label=com.docker.compose.project=<project>} see the silo as a Compose project.
 *
 * <p>Idempotency rests on the deterministic names and on the {@code com.docker.compose.config-hash}
 * and {@code com.docker.compose.image} labels: a container whose labels match its service and image
 * is kept (started if stopped), any other container of that service is replaced, as {@code docker
 * compose up} does. A container of that name that is not this project's service is never touched.
 *
 * <p>Whether the run created a container is read from the container, not from this attempt: the
 * container carries the {@link ContainerSpec#CREATED_BY_RUN_LABEL} of the workflow run that created
 * it, so a retry whose earlier attempt created it (and lost its reply) still reports it created,
 * and a later run reports it found.
 *
 * <p>It is one unit over 300 lines because the idempotency rules (names, Compose labels, the
 * creating run's label) are one contract that every activity here reads and writes; split, they
 * would be scattered.
 */
public final class DockerActivitiesImpl implements DockerActivities {

  /** How long one pull may take; a pull is tried once per attempt of the activity. */
  static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);

  /**
   * How long a container gets to stop on SIGTERM before SIGKILL, when it is replaced or torn down.
   * Shorter than Compose's 10 s: silos are development environments, and teardown stops all
   * containers at once so it costs this once, not once per container.
   */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** How many containers teardown stops at once. */
  private static final int PARALLEL_STOPS = 8;

  private static final Logger log = LoggerFactory.getLogger(DockerActivitiesImpl.class);

  private final DockerEngine engine;
  private final HealthWatch healthWatch;
  private final Duration stopTimeout;
  private final ProjectPower power;

  /**
   * @param engine the engine the silos' containers run on, for example from {@link
   *     DockerEngine#detect}
   */
  public DockerActivitiesImpl(DockerEngine engine) {
    this(engine, STOP_TIMEOUT);
  }

  DockerActivitiesImpl(DockerEngine engine, Duration stopTimeout) {
    this.engine = engine;
    this.healthWatch = new HealthWatch(engine);
    this.stopTimeout = stopTimeout;
    this.power = new ProjectPower(engine, this::stopAll);
  }

  @Override
  public ComposeNetwork ensureNetwork(EnsureNetworkRequest request) {
    return ensureNetwork(new ComposeProject(request.project()), ComposeProject.DEFAULT_NETWORK);
  }

  @Override
  public ContainerResult startContainer(StartContainerRequest request) {
    ComposeProject project = new ComposeProject(request.project());
    ComposeService service = request.service();
    String name = project.containerName(service.name());
    ActivityHeartbeat heartbeat = ActivityHeartbeat.current();
    Optional<String> run = currentRun();

    Optional<String> imageId = engine.imageId(service.image());
    if (imageId.isEmpty()) {
      log.info("Pulling {} for {}", service.image(), name);
      heartbeat.beat("pulling " + service.image());
      try {
        engine.pull(
            service.image(), PULL_TIMEOUT, () -> heartbeat.beat("pulling " + service.image()));
      } catch (EngineRefusal refusal) {
        return failed(
            service,
            null,
            "image " + service.image() + " could not be pulled: " + refusal.getMessage());
      }
      imageId = engine.imageId(service.image());
      if (imageId.isEmpty()) {
        return failed(
            service,
            null,
            "image " + service.image() + " was pulled but the engine does not list it");
      }
    }
    String configHash = ConfigHash.of(service);

    Optional<InspectContainerResponse> existing = engine.container(name);
    if (existing.isPresent()) {
      InspectContainerResponse container = existing.get();
      Map<String, String> labels = container.getConfig().getLabels();
      if (!project.owns(labels, service.name())) {
        return failed(
            service,
            null,
            "a container named "
                + name
                + " exists and is not service "
                + service.name()
                + " of project "
                + project.name()
                + "; it was left alone");
      }
      if (configHash.equals(labels.get(ComposeProject.CONFIG_HASH_LABEL))
          && imageId.get().equals(labels.get(ComposeProject.IMAGE_LABEL))) {
        boolean createdByThisRun =
            run.isPresent() && run.get().equals(labels.get(ContainerSpec.CREATED_BY_RUN_LABEL));
        return keep(service, name, container, createdByThisRun, heartbeat);
      }
      log.info("Recreating {}: its service or image changed", name);
      heartbeat.beat("removing the outdated container");
      // Compose carries anonymous volumes over to the new container; we drop them with the old one.
      engine.stop(container.getId(), stopTimeout);
      engine.removeContainer(container.getId(), true);
    }
    return create(project, request.network(), service, imageId.get(), configHash, run, heartbeat);
  }

  @Override
  public TeardownResult teardown(TeardownRequest request) {
    ComposeProject project = new ComposeProject(request.project());
    ActivityHeartbeat heartbeat = ActivityHeartbeat.current();
    List<Container> containers = engine.containers(project.labelFilter());
    stopAll(containers, heartbeat);
    List<String> removedContainers = new ArrayList<>();
    for (Container container : containers) {
      heartbeat.beat("removing containers");
      if (engine.removeContainer(container.getId(), request.removeVolumes())) {
        removedContainers.add(nameOf(container));
      }
    }
    List<String> removedNetworks = new ArrayList<>();
    for (Network network : engine.networks(project.labelFilter())) {
      heartbeat.beat("removing networks");
      if (engine.removeNetwork(network.getId())) {
        removedNetworks.add(network.getName());
      }
    }
    List<String> removedVolumes = new ArrayList<>();
    if (request.removeVolumes()) {
      for (InspectVolumeResponse volume : engine.volumes(project.labelFilter())) {
        heartbeat.beat("removing volumes");
        if (engine.removeVolume(volume.getName())) {
          removedVolumes.add(volume.getName());
        }
      }
    }
    log.info(
        "Tore down project {}: containers {}, networks {}, volumes {}",
        project.name(),
        removedContainers,
        removedNetworks,
        removedVolumes);
    return new TeardownResult(removedContainers, removedNetworks, removedVolumes);
  }

  @Override
  public ContainersPowered stopContainers(PowerContainersRequest request) {
    return power.stop(request.project());
  }

  @Override
  public ContainersPowered startContainers(PowerContainersRequest request) {
    return power.start(request.project());
  }

  @Override
  public ProjectResources describeProject(DescribeProjectRequest request) {
    ComposeProject project = new ComposeProject(request.project());
    return new ProjectResources(
        engine.containers(project.labelFilter()).stream().map(DockerActivitiesImpl::nameOf).toList(),
        engine.networks(project.labelFilter()).stream().map(Network::getName).toList(),
        engine.volumes(project.labelFilter()).stream().map(InspectVolumeResponse::getName).toList());
  }

  /** A container whose labels match: left alone when running, started when not, then watched. */
  private ContainerResult keep(
      ComposeService service,
      String name,
      InspectContainerResponse container,
      boolean createdByThisRun,
      ActivityHeartbeat heartbeat) {
    int restarts = HealthWatch.restartCount(container);
    boolean running = Boolean.TRUE.equals(container.getState().getRunning());
    if (!running) {
      log.info("Starting {}, which is {}", name, container.getState().getStatus());
      try {
        engine.start(container.getId());
      } catch (EngineRefusal refusal) {
        return failed(
            service,
            name,
            "the container could not be started: " + refusal.getMessage(),
            createdByThisRun);
      }
    }
    return watch(service, name, container.getId(), restarts, !running, createdByThisRun, heartbeat);
  }

  private ContainerResult create(
      ComposeProject project,
      String defaultNetwork,
      ComposeService service,
      String imageId,
      String configHash,
      Optional<String> run,
      ActivityHeartbeat heartbeat) {
    String name = project.containerName(service.name());
    ContainerSpec spec;
    try {
      List<ServiceMount> mounts = service.volumes().stream().map(ServiceMount::parse).toList();
      mounts.stream()
          .filter(mount -> mount.kind() == ServiceMount.Kind.NAMED)
          .forEach(
              mount ->
                  engine.createVolume(
                      project.volumeName(mount.source()), project.volumeLabels(mount.source())));
      spec =
          ContainerSpec.forService(
              project,
              service,
              imageId,
              configHash,
              run,
              networks(project, defaultNetwork, service),
              mounts);
    } catch (IllegalArgumentException invalid) {
      return failed(service, null, invalid.getMessage());
    }
    heartbeat.beat("creating the container");
    String id;
    try {
      id = engine.createContainer(spec);
    } catch (EngineRefusal refusal) {
      return failed(service, null, "the container could not be created: " + refusal.getMessage());
    }
    log.info("Created {} ({})", name, id);
    try {
      engine.start(id);
    } catch (EngineRefusal refusal) {
      return failed(
          service, name, "the container could not be started: " + refusal.getMessage(), true);
    }
    return watch(service, name, id, 0, true, true, heartbeat);
  }

  private ContainerResult watch(
      ComposeService service,
      String name,
      String containerId,
      int restartsBefore,
      boolean justStarted,
      boolean createdByThisRun,
      ActivityHeartbeat heartbeat) {
    HealthWatch.Outcome outcome =
        healthWatch.watch(
            containerId, service.healthcheck(), restartsBefore, justStarted, heartbeat);
    if (!outcome.health().isUp()) {
      log.warn("{} is {}: {}", name, outcome.health(), outcome.message());
    }
    return new ContainerResult(
        service.name(), name, outcome.health(), outcome.message(), createdByThisRun);
  }

  /**
   * The engine names of the networks a service joins, the first one at creation: the project's
   * default network unless the service lists its own, each of those made on first use.
   */
  private List<String> networks(
      ComposeProject project, String defaultNetwork, ComposeService service) {
    String projectDefault =
        defaultNetwork != null
            ? defaultNetwork
            : ensureNetwork(project, ComposeProject.DEFAULT_NETWORK).name();
    if (service.networks().isEmpty()) {
      return List.of(projectDefault);
    }
    return service.networks().stream()
        .map(
            network ->
                ComposeProject.DEFAULT_NETWORK.equals(network)
                    ? projectDefault
                    : ensureNetwork(project, network).name())
        .distinct()
        .toList();
  }

  private ComposeNetwork ensureNetwork(ComposeProject project, String network) {
    String name = project.networkName(network);
    Optional<Network> existing = engine.network(name);
    if (existing.isEmpty()) {
      Optional<String> created = engine.createNetwork(name, project.networkLabels(network));
      if (created.isPresent()) {
        log.info("Created network {}", name);
        return new ComposeNetwork(name, created.get(), true);
      }
      // Created by a concurrent activity between our look-up and our create.
      existing = engine.network(name);
    }
    Network found =
        existing.orElseThrow(
            () ->
                new IllegalStateException(
                    "the engine at "
                        + engine.host()
                        + " refused to create network "
                        + name
                        + " as it exists,"
                        + " yet does not list it"));
    if (!project
        .name()
        .equals(
            found.getLabels() == null
                ? null
                : found.getLabels().get(ComposeProject.PROJECT_LABEL))) {
      // Compose too uses such a network, with a warning; teardown will not remove it.
      log.warn(
          "Network {} exists but was not created for project {}; using it", name, project.name());
    }
    return new ComposeNetwork(name, found.getId(), false);
  }

  /**
   * Stops containers in parallel, as Compose does: a container that ignores SIGTERM then costs the
   * stop timeout once, not once per container.
   */
  private void stopAll(List<Container> containers, ActivityHeartbeat heartbeat) {
    List<Container> running =
        containers.stream()
            .filter(
                container ->
                    "running".equals(container.getState())
                        || "restarting".equals(container.getState()))
            .toList();
    if (running.isEmpty()) {
      return;
    }
    ExecutorService stops = Executors.newFixedThreadPool(Math.min(running.size(), PARALLEL_STOPS));
    try {
      List<Future<Boolean>> stopped =
          running.stream()
              .map(container -> stops.submit(() -> engine.stop(container.getId(), stopTimeout)))
              .toList();
      for (Future<Boolean> stop : stopped) {
        while (!isDone(stop)) {
          heartbeat.beat("stopping containers");
        }
      }
    } finally {
      stops.shutdownNow();
    }
  }

  /** Waits a second for a stop; true when it is done, rethrowing its failure. */
  private static boolean isDone(Future<Boolean> stop) {
    try {
      stop.get(1, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException notYet) {
      return false;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping containers", e);
    }
  }

  static String nameOf(Container container) {
    String[] names = container.getNames();
    if (names == null || names.length == 0) {
      return container.getId();
    }
    return names[0].startsWith("/") ? names[0].substring(1) : names[0];
  }

  /** A service that failed before a container of its own was there to report on. */
  private static ContainerResult failed(
      ComposeService service, String containerName, String reason) {
    return failed(service, containerName, reason, null);
  }

  private static ContainerResult failed(
      ComposeService service, String containerName, String reason, Boolean createdByThisRun) {
    log.warn("{} failed: {}", service.name(), reason);
    return new ContainerResult(
        service.name(), containerName, ContainerHealth.FAILED, reason, createdByThisRun);
  }

  /**
   * The workflow run this activity serves, {@code {workflowId}/{runId}}; every attempt of the
   * activity in that run gives the same. Empty when called directly, outside an activity (a demo
   * or a test): such a call labels nothing and finds every existing container.
   */
  private static Optional<String> currentRun() {
    ActivityInfo info;
    try {
      info = Activity.getExecutionContext().getInfo();
    } catch (IllegalStateException notInAnActivity) {
      return Optional.empty();
    }
    return Optional.of(info.getWorkflowId() + "/" + info.getRunId());
  }

  @Override
  public ProjectContainers inspectProject(InspectProjectRequest request) {
    ComposeProject project = new ComposeProject(request.project());
    List<ContainerState> states = new ArrayList<>();
    for (Container container : engine.containers(project.labelFilter())) {
      String service = container.getLabels().get(ComposeProject.SERVICE_LABEL);
      Optional<InspectContainerResponse> inspected = engine.container(container.getId());
      if (inspected.isEmpty()) {
        continue;
      }
      InspectContainerResponse.ContainerState state = inspected.get().getState();
      boolean running = Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting());
      String health = state.getHealth() == null ? null : state.getHealth().getStatus();
      states.add(new ContainerState(service, nameOf(container), running, state.getStatus(), health));
    }
    return new ProjectContainers(request.project(), states);
  }
}
