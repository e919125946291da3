package dev.silo.worker;

import dev.silo.worker.metrics.ExternalCallInterceptor;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.lock.EnvironmentLockWorkflowImpl;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflowImpl;
import dev.silo.workflows.release.ReleasePipelineWorkflowImpl;
import dev.silo.workflows.silo.SiloDeploymentWorkflowImpl;
import dev.silo.workflows.docker.DockerActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.Objects;

/**
 * What a Silo worker serves: the workflows (silo deployments, release pipelines with their
 * environment deployments, and the environment locks) and the given activities on the Silo task
 * queue, and the Docker activities on a queue of their own so a worker beside a container engine
 * can serve them.
 *
 * <p>Temporal does not poll a queue for which nothing is registered, so the Docker worker is idle
 * until {@link SiloActivities#docker()} is present; Docker activity tasks then wait on the queue for
 * a worker that has them instead of failing.
 */
public final class SiloWorker {

  private SiloWorker() {}

  /**
   * The task queues a worker polls.
   *
   * @param silo workflows and all activities but Docker's
   * @param docker the Docker activities
   */
  public record Queues(String silo, String docker) {

    /** The queues workflows use unless a request names another. */
    public static final Queues DEFAULT = new Queues(TaskQueues.SILO, TaskQueues.DOCKER);

    /** Requires two distinct, non-blank names. */
    public Queues {
      if (silo == null || silo.isBlank() || docker == null || docker.isBlank()) {
        throw new IllegalArgumentException("task queue names must not be blank");
      }
      if (silo.equals(docker)) {
        throw new IllegalArgumentException(
            "the Silo and Docker task queues must differ, both are " + silo);
      }
    }
  }

  /**
   * A new, not yet started factory on {@code client} with everything registered, and every
   * activity counted as an external call in the client's metrics scope.
   */
  public static WorkerFactory create(
      WorkflowClient client, Queues queues, SiloActivities activities) {
    WorkerFactory factory = WorkerFactory.newInstance(Objects.requireNonNull(client, "client"),
        WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new ExternalCallInterceptor()).build());
    register(factory, queues, activities);
    return factory;
  }

  /**
   * A new, not yet started factory serving only the Docker activities on {@code dockerQueue}: the
   * worker beside a container engine, which polls no other queue, so it takes no workflow or other
   * activity that its host may not be able to serve.
   */
  public static WorkerFactory createDockerOnly(
      WorkflowClient client, String dockerQueue, DockerActivities docker) {
    WorkerFactory factory = WorkerFactory.newInstance(Objects.requireNonNull(client, "client"),
        WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new ExternalCallInterceptor()).build());
    factory.newWorker(dockerQueue).registerActivitiesImplementations(Objects.requireNonNull(docker, "docker"));
    return factory;
  }

  /**
   * Registers the Silo workers on an existing factory, such as a test environment's, before it
   * starts.
   */
  public static void register(WorkerFactory factory, Queues queues, SiloActivities activities) {
    Objects.requireNonNull(queues, "queues");
    Objects.requireNonNull(activities, "activities");
    Worker silo = factory.newWorker(queues.silo());
    silo.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class, ReleasePipelineWorkflowImpl.class,
        EnvironmentDeploymentWorkflowImpl.class, EnvironmentLockWorkflowImpl.class);
    silo.registerActivitiesImplementations(activities.onSiloQueue().toArray());
    Worker docker = factory.newWorker(queues.docker());
    if (activities.docker() != null) {
      docker.registerActivitiesImplementations(activities.docker());
    }
  }
}
