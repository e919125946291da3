package dev.silo.workflows.docker;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Compose-up semantics on a container engine (docker-java). These activities run on a task queue of
 * their own ({@link dev.silo.workflows.TaskQueues#DOCKER} by default) so a worker beside the engine
 * serves them.
 */
@ActivityInterface
public interface DockerActivities {

  /**
   * Creates the project's network, named and labelled as Compose names it. Idempotent: an existing
   * network with the project's label is reused.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     engine cannot be reached
   */
  @ActivityMethod
  ComposeNetwork ensureNetwork(EnsureNetworkRequest request);

  /**
   * Brings one service up and probes its health by running its Compose healthcheck through exec,
   * heartbeating while it waits. Idempotent: a running container whose config hash matches is left
   * alone, a stopped one is started, a changed one is recreated; an absent image is pulled once.
   *
   * <p>A container it creates is labelled with the workflow run that asked ({@code
   * dev.silo.created-by-run={workflowId}/{runId}}), and {@link ContainerResult#createdByThisRun()}
   * is read from that label: a retry whose earlier attempt created the container (and whose reply
   * was lost) reports it created, a later run reports it found. A container replaced because its
   * service changed is created by the run that replaced it.
   *
   * <p>A container that will not start or get healthy is not an activity failure: the result says
   * {@link ContainerHealth#FAILED} or {@link ContainerHealth#UNHEALTHY} with the reason, so the
   * workflow can skip it as the runbook says.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     engine cannot be reached
   */
  @ActivityMethod
  ContainerResult startContainer(StartContainerRequest request);

  /**
   * Removes the project's containers and network ({@code compose down}); volumes only when asked.
   * Idempotent: what is already gone counts as removed. Nothing of another project is touched.
   */
  @ActivityMethod
  TeardownResult teardown(TeardownRequest request);

  /**
   * Stops every container carrying the project's Compose label ({@code docker compose stop}): never
   * removed, so their volumes, networks and config stay. Idempotent: a container already stopped
   * counts as stopped, with {@code changed = false}. Nothing of another project is touched.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     engine cannot be reached
   */
  @ActivityMethod
  ContainersPowered stopContainers(PowerContainersRequest request);

  /**
   * Starts every stopped container carrying the project's Compose label ({@code docker compose
   * start}), in the order they were created, which is the order their dependencies allowed when the
   * silo was deployed. Idempotent: a running container counts as started, with {@code changed =
   * false}. A container the engine will not start is not an activity failure: its entry says why.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     engine cannot be reached
   */
  @ActivityMethod
  ContainersPowered startContainers(PowerContainersRequest request);

  /**
   * Lists what the project holds: its containers, networks and named volumes, found by the project
   * label. Read-only, hence idempotent.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     engine cannot be reached
   */
  @ActivityMethod
  ProjectResources describeProject(DescribeProjectRequest request);

  /**
   * Reads the project's containers as the engine reports them now, for the drift check. Read-only,
   * hence idempotent.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     engine cannot be reached
   */
  @ActivityMethod
  ProjectContainers inspectProject(InspectProjectRequest request);
}
