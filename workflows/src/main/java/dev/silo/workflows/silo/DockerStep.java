package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 2: {@code docker compose up} semantics. Each service starts as soon as what it depends on is
 * up, so independent services start in parallel; a service that fails is skipped and so are the
 * services that wait for it, and the deployment goes on, as the runbook says.
 */
final class DockerStep implements SiloStep<DockerStep.Containers> {

  /** Each container's result, and the queue whose worker ran them (null when no engine served). */
  record Containers(String taskQueue, List<ContainerResult> results) {

    long up() {
      return results.stream().filter(c -> c.health().isUp()).count();
    }
  }

  static final StepKey<Containers> CONTAINERS = StepKey.of(StepName.DOCKER, Containers.class);

  private static final String NO_ENGINE = "no container engine serves this deployment";

  private final SiloNames names;
  private final boolean skipContainers;

  DockerStep(SiloNames names, boolean skipContainers) {
    this.names = names;
    this.skipContainers = skipContainers;
  }

  @Override
  public StepKey<Containers> produces() {
    return CONTAINERS;
  }

  @Override
  public List<StepKey<?>> needs() {
    return List.of(ValidateStep.VALIDATED);
  }

  @Override
  public String starting(StepResults results) {
    ValidateStep.Validated validated = results.get(ValidateStep.VALIDATED);
    return skipContainers ? NO_ENGINE : "starting " + validated.config().services().size()
        + " containers on task queue " + validated.plan().dockerTaskQueue();
  }

  /** Returns one result per service, in the Compose file's order; a container that fails is degraded. */
  @Override
  public Containers run(StepResults results, StepContext context) {
    ValidateStep.Validated validated = results.get(ValidateStep.VALIDATED);
    List<ComposeService> services = validated.config().services();
    if (skipContainers) {
      List<ContainerResult> skipped = services.stream()
          .map(service -> new ContainerResult(service.name(), null, ContainerHealth.SKIPPED, NO_ENGINE, null))
          .toList();
      skipped.forEach(c -> context.degraded(c.service(), "SKIPPED: " + c.message()));
      return new Containers(null, skipped);
    }
    String taskQueue = validated.plan().dockerTaskQueue();
    ActivityOptions options = ActivityOptions.newBuilder(SiloActivityOptions.DOCKER).setTaskQueue(taskQueue).build();
    List<ContainerResult> containers =
        composeUp(Workflow.newActivityStub(DockerActivities.class, options), names.composeProject(), services);
    containers.stream().filter(c -> !c.health().isUp())
        .forEach(c -> context.degraded(c.service(), c.health() + ": " + c.message()));
    return new Containers(taskQueue, containers);
  }

  @Override
  public StepState state(Containers result) {
    if (result.taskQueue() == null) {
      return StepState.SKIPPED;
    }
    return result.up() == result.results().size() ? StepState.SUCCEEDED : StepState.DEGRADED;
  }

  @Override
  public String finished(Containers result) {
    return result.taskQueue() == null ? result.results().size() + " containers skipped: no container engine"
        : result.up() + "/" + result.results().size() + " containers up";
  }

  /**
   * Under guided failure, the containers that would not start are put to a person before the run
   * goes on without them: retry starts them again (a container already up is found, not
   * duplicated), skip goes on as the runbook does. Those skipped because a dependency failed follow
   * theirs, and none is asked about when no engine serves the deployment.
   */
  @Override
  public String failureIn(Containers result) {
    if (result.taskQueue() == null) {
      return null;
    }
    List<String> failed = result.results().stream().filter(c -> c.health() == ContainerHealth.FAILED)
        .map(c -> c.service() + " (" + c.message() + ")").toList();
    return failed.isEmpty() ? null : failed.size() + " container(s) failed to start: " + String.join("; ", failed);
  }

  @Override
  public boolean skippable() {
    return true;
  }

  /** Every container skipped, as the runbook skips a container that will not start. */
  @Override
  public Containers skipped(StepResults results, StepContext context, String reason) {
    ValidateStep.Validated validated = results.get(ValidateStep.VALIDATED);
    List<ContainerResult> skipped = validated.config().services().stream()
        .map(service -> new ContainerResult(service.name(), null, ContainerHealth.SKIPPED,
            "skipped by an operator after: " + reason, null))
        .toList();
    skipped.forEach(c -> context.degraded(c.service(), "SKIPPED: " + c.message()));
    return new Containers(validated.plan().dockerTaskQueue(), skipped);
  }

  /** The runbook skips a container that will not start and goes on: nothing to cancel or undo. */
  @Override
  public boolean finishesWhenAnotherFails() {
    return true;
  }

  private static List<ContainerResult> composeUp(DockerActivities docker, String project,
      List<ComposeService> services) {
    ComposeNetwork network;
    try {
      network = docker.ensureNetwork(new EnsureNetworkRequest(project));
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      String reason = "project network could not be created: " + Failures.message(failure);
      return services.stream()
          .map(service -> new ContainerResult(service.name(), null, ContainerHealth.FAILED, reason, null))
          .toList();
    }
    Map<String, Promise<ContainerResult>> started = new LinkedHashMap<>();
    for (ComposeService service : dependencyOrder(services)) {
      List<Promise<ContainerResult>> dependencies = new ArrayList<>();
      service.dependsOn().keySet().forEach(name -> dependencies.add(started.get(name)));
      // A workflow thread rather than a promise callback: callbacks run outside the run's
      // cancellation scope, so a container started from one would still start after a cancellation.
      Promise<ContainerResult> result = Async.function(() -> {
        Promise.allOf(dependencies).get();
        return startWhenDependenciesAllow(docker, project, network.name(), service, started).get();
      });
      started.put(service.name(), result);
    }
    return services.stream().map(service -> started.get(service.name()).get()).toList();
  }

  private static Promise<ContainerResult> startWhenDependenciesAllow(DockerActivities docker, String project,
      String network,
      ComposeService service, Map<String, Promise<ContainerResult>> started) {
    for (Map.Entry<String, String> dependency : service.dependsOn().entrySet()) {
      ContainerResult upstream = started.get(dependency.getKey()).get();
      String blocker = blocker(upstream, dependency.getValue());
      if (blocker != null) {
        return Workflow.newPromise(new ContainerResult(service.name(), null, ContainerHealth.SKIPPED, blocker, null));
      }
    }
    return Async.function(docker::startContainer, new StartContainerRequest(project, network, service))
        .exceptionally(failure -> {
          if (Failures.isCancellation(failure) || !(failure instanceof ActivityFailure)) {
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
          }
          return new ContainerResult(service.name(), null, ContainerHealth.FAILED, Failures.message(failure), null);
        });
  }

  /** Why a dependency stops a service from starting, as Compose would refuse it; null when it does not. */
  private static String blocker(ContainerResult upstream, String condition) {
    if (!upstream.health().isUp()) {
      return "dependency " + upstream.service() + " is " + upstream.health().name().toLowerCase();
    }
    if (ComposeService.SERVICE_HEALTHY.equals(condition) && upstream.health() != ContainerHealth.HEALTHY) {
      return "dependency " + upstream.service() + " must be healthy but declares no healthcheck";
    }
    return null;
  }

  /**
   * Orders services so each comes after what it depends on (Kahn's algorithm, stable on file order).
   * The config loader refuses cycles and unknown names, so every service is placed.
   */
  static List<ComposeService> dependencyOrder(List<ComposeService> services) {
    List<ComposeService> ordered = new ArrayList<>();
    List<String> placed = new ArrayList<>();
    List<ComposeService> remaining = new ArrayList<>(services);
    boolean progressed = true;
    while (!remaining.isEmpty() && progressed) {
      progressed = false;
      for (ComposeService service : List.copyOf(remaining)) {
        if (placed.containsAll(service.dependsOn().keySet())) {
          ordered.add(service);
          placed.add(service.name());
          remaining.remove(service);
          progressed = true;
        }
      }
    }
    if (!remaining.isEmpty()) {
      throw new StepFailure(StepName.DOCKER, "services with unresolvable dependencies: "
          + remaining.stream().map(ComposeService::name).toList());
    }
    return ordered;
  }
}
