package dev.silo.worker;

import java.util.function.Predicate;
import dev.silo.workflows.drift.SiloCheckWorkflowImpl;
import dev.silo.activities.notify.NotifyActivitiesImpl;
import dev.silo.activities.drift.SiloCheckActivitiesImpl;
import dev.silo.activities.heartbeat.HeartbeatInterceptor;
import dev.silo.workflows.silo.SiloTeardownWorkflowImpl;
import dev.silo.activities.temporal.TemporalActivitiesImpl;
import dev.silo.worker.metrics.ExternalCallInterceptor;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.lock.EnvironmentLockWorkflowImpl;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflowImpl;
import dev.silo.workflows.release.ReleasePipelineWorkflowImpl;
import dev.silo.workflows.silo.SiloDeploymentWorkflowImpl;
import dev.silo.workflows.summary.SummaryInterceptor;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.power.SiloPowerWorkflowImpl;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
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
 *
 * <p>A worker that dies must not strand a run. Every activity heartbeats while it runs (see {@link
 * HeartbeatInterceptor}), so a dead worker's activity times out within its heartbeat timeout. A
 * worker keeps a run's workflow in its cache and asks the server to send that run's next workflow
 * task to its own sticky queue; {@link #workerOptions} bounds how long such a task waits there
 * ({@link #STICKY_SCHEDULE_TO_START}) before the server gives it to any worker on the Silo queue.
 * Temporal's Java test server, which {@code silo dev-server} runs, ignores that bound: a task sent
 * to a dead worker's sticky queue would wait forever. On that server the worker therefore asks for
 * no sticky queue at all, and every workflow task goes to the Silo queue.
 */
public final class SiloWorker {

  /**
   * How long a workflow task waits on the sticky queue of the worker that ran the workflow last
   * before the server hands it to any worker on the Silo queue.
   */
  public static final Duration STICKY_SCHEDULE_TO_START = Duration.ofSeconds(5);

  /**
   * The longest the SDK holds back an activity's heartbeat: well under a third of the heartbeat
   * timeout, so one slow heartbeat on a busy machine does not time a live activity out.
   */
  public static final Duration MAX_HEARTBEAT_THROTTLE = Duration.ofSeconds(3);

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
    return create(client, queues, activities, WorkerTuning.DEFAULTS);
  }

  /** {@link #create(WorkflowClient, Queues, SiloActivities)} taking on at once what {@code tuning} says. */
  public static WorkerFactory create(
      WorkflowClient client, Queues queues, SiloActivities activities, WorkerTuning tuning) {
    WorkerFactory factory = WorkerFactory.newInstance(Objects.requireNonNull(client, "client"),
        factoryOptions(tuning));
    register(factory, queues, activities, tuning);
    return factory;
  }

  /**
   * A new, not yet started factory serving only the Docker activities on {@code dockerQueue}: the
   * worker beside a container engine, which polls no other queue, so it takes no workflow or other
   * activity that its host may not be able to serve.
   */
  public static WorkerFactory createDockerOnly(
      WorkflowClient client, String dockerQueue, DockerActivities docker, WorkerTuning tuning) {
    WorkerFactory factory = WorkerFactory.newInstance(Objects.requireNonNull(client, "client"),
        factoryOptions(tuning));
    factory.newWorker(dockerQueue, workerOptions(client, tuning))
        .registerActivitiesImplementations(Objects.requireNonNull(docker, "docker"));
    return factory;
  }

  /**
   * Registers the Silo workers on an existing factory, such as a test environment's, before it
   * starts.
   */
  public static void register(WorkerFactory factory, Queues queues, SiloActivities activities) {
    register(factory, queues, activities, WorkerTuning.DEFAULTS);
  }

  /**
   * {@link #register(WorkerFactory, Queues, SiloActivities)} with {@code tuning}'s slots and pollers;
   * its workflow cache is the factory's, set when the factory was made.
   */
  public static void register(WorkerFactory factory, Queues queues, SiloActivities activities, WorkerTuning tuning) {
    Objects.requireNonNull(queues, "queues");
    Objects.requireNonNull(activities, "activities");
    WorkerOptions options = workerOptions(factory.getWorkflowClient(), tuning);
    Worker silo = factory.newWorker(queues.silo(), options);
    silo.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class, ReleasePipelineWorkflowImpl.class,
        EnvironmentDeploymentWorkflowImpl.class, EnvironmentLockWorkflowImpl.class);
    silo.registerWorkflowImplementationTypes(SiloPowerWorkflowImpl.class);
    silo.registerActivitiesImplementations(activities.onSiloQueue().toArray());
    // The teardown, and what it asks the worker's own server (other runs, the drift-check schedule).
    silo.registerWorkflowImplementationTypes(SiloTeardownWorkflowImpl.class);
    silo.registerActivitiesImplementations(new TemporalActivitiesImpl(factory.getWorkflowClient()));
    silo.registerWorkflowImplementationTypes(SiloCheckWorkflowImpl.class);
    silo.registerActivitiesImplementations(new SiloCheckActivitiesImpl(webhookConfigured(activities)));
    Worker docker = factory.newWorker(queues.docker(), options);
    if (activities.docker() != null) {
      docker.registerActivitiesImplementations(activities.docker());
    }
  }

  /**
   * Whether the worker's notifications can reach a webhook variable; without notification
   * activities, none can, and the drift check sends nothing.
   */
  private static Predicate<String> webhookConfigured(SiloActivities activities) {
    if (activities.notifications() instanceof NotifyActivitiesImpl notifications) {
      return notifications::webhookConfigured;
    }
    return variable -> false;
  }

  /**
   * Every activity counted as an external call, kept heartbeating while it runs, and given the
   * summary the Web UI shows on its row.
   */
  private static WorkerFactoryOptions factoryOptions(WorkerTuning tuning) {
    return tuning.applyTo(WorkerFactoryOptions.newBuilder())
        .setWorkerInterceptors(new ExternalCallInterceptor(), new HeartbeatInterceptor(), new SummaryInterceptor())
        .build();
  }

  /**
   * The options of every Silo worker on {@code client}'s server: heartbeats sent at least every
   * {@link #MAX_HEARTBEAT_THROTTLE}, and workflow tasks on a sticky queue for at most {@link
   * #STICKY_SCHEDULE_TO_START}, or never on one when the server is Temporal's Java test server; as
   * many slots and pollers as {@code tuning} says.
   */
  public static WorkerOptions workerOptions(WorkflowClient client, WorkerTuning tuning) {
    return tuning.applyTo(WorkerOptions.newBuilder())
        .setMaxHeartbeatThrottleInterval(MAX_HEARTBEAT_THROTTLE)
        .setStickyQueueScheduleToStartTimeout(isJavaTestServer(client) ? Duration.ZERO : STICKY_SCHEDULE_TO_START)
        .build();
  }

  /**
   * Whether {@code client} talks to Temporal's Java test server (the embedded dev server): it is
   * the server that reports no version. A zero sticky schedule-to-start timeout makes the SDK ask
   * for no sticky queue, which that server would otherwise keep routing tasks to after the worker
   * behind it died. A server that cannot be asked is taken for a real one.
   */
  static boolean isJavaTestServer(WorkflowClient client) {
    try {
      return client.getWorkflowServiceStubs().blockingStub()
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
          .getServerVersion()
          .isEmpty();
    } catch (RuntimeException cannotAsk) {
      return false;
    }
  }
}
