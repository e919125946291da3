package dev.silo.worker;

import dev.silo.client.ServerUnreachableException;
import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.AesGcmPayloadCodec;
import dev.silo.client.codec.PayloadKey;
import dev.silo.worker.codec.CodecEndpoint;
import dev.silo.worker.metrics.MetricsEndpoint;
import dev.silo.worker.metrics.WorkerMetrics;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.silo.DockerTaskQueue;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code silo worker}: the composition root. Everything comes from the environment; values of
 * variables are never printed, since several hold tokens.
 */
@Command(
    name = "worker",
    description = {
      "Polls the Silo task queues until Ctrl-C.",
      "Configuration comes from the environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and the other",
      "TEMPORAL_* variables, SILO_PAYLOAD_KEY or SILO_PAYLOAD_KEY_FILE, SILO_CONFIG_ROOT,",
      "SILO_GIT_REMOTE (with SILO_GIT_USERNAME, SILO_GIT_TOKEN, SILO_GIT_CACHE), SILO_RELEASE_REPOSITORY",
      "and SILO_WORKSPACES for release pipelines (SILO_RELEASE_PROTECTION: their approval rules), and the",
      "variables the release files name. SILO_ALLOWED_SIGNERS: the keys that may sign starts and decisions.",
      "The codec endpoint: SILO_CODEC_TOKEN, SILO_CODEC_PORT, SILO_CODEC_BIND, SILO_UI_ORIGIN;",
      "GET /metrics: SILO_METRICS_PORT (or off), SILO_METRICS_BIND."
    })
final class WorkerCommand implements Callable<Integer> {


  private final Map<String, String> env;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  private boolean help;

  @Option(
      names = "--task-queue",
      defaultValue = TaskQueues.SILO,
      description = "Queue for workflows and all activities but Docker's (default: ${DEFAULT-VALUE}).")
  private String taskQueue;

  /** Names the Docker task queue when {@code --docker-task-queue} does not. */
  static final String DOCKER_TASK_QUEUE_VARIABLE = "SILO_DOCKER_TASK_QUEUE";

  @Option(
      names = "--docker-task-queue",
      paramLabel = "QUEUE",
      description = "Queue for the Docker activities, that of the container engine beside this worker"
          + " (default: " + DOCKER_TASK_QUEUE_VARIABLE + ", else " + TaskQueues.DOCKER + ").")
  private String dockerTaskQueue;

  @Option(
      names = "--docker-only",
      description = "Serve only the Docker activities, on the Docker queue: the worker beside a container"
          + " engine host, which takes no workflow and no other activity.")
  private boolean dockerOnly;

  WorkerCommand(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SiloWorker.Queues queues;
    Optional<MetricsEndpoint.Settings> metricsAt;
    Optional<CodecEndpoint.Settings> codecAt;
    WorkerTuning tuning;
    try {
      queues = new SiloWorker.Queues(taskQueue, dockerTaskQueue());
      metricsAt = MetricsEndpoint.Settings.fromEnvironment(env);
      codecAt = CodecEndpoint.Settings.fromEnvironment(env);
      tuning = WorkerTuning.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage(), WorkerMain.EXIT_CONFIGURATION);
    }

    WorkerMetrics metrics = metricsAt.isPresent() ? WorkerMetrics.create() : null;
    TemporalConnection connection;
    try {
      connection = TemporalConnection.open(env, notice -> println(err, notice), metrics == null ? null : metrics.scope());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      closeAll(metrics);
      return fail(err, e.getMessage(), WorkerMain.EXIT_CONFIGURATION);
    }
    try {
      connection.ensureReachable();
    } catch (ServerUnreachableException e) {
      closeAll(connection, metrics);
      return fail(err, e.getMessage(), WorkerMain.EXIT_UNREACHABLE);
    }

    SiloActivities activities = null;
    DockerActivities docker = null;
    try {
      if (dockerOnly) {
        docker = EnvironmentActivities.docker(env, line -> println(out, line));
        if (docker == null) {
          closeAll(connection, metrics);
          return fail(err, "--docker-only: no container engine answers here, so this worker would serve nothing;"
              + " set DOCKER_HOST to the engine beside it", WorkerMain.EXIT_CONFIGURATION);
        }
      } else {
        activities = EnvironmentActivities.build(env, connection.client(), line -> println(out, line));
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      closeAll(connection, metrics);
      return fail(err, EnvironmentActivities.withoutUrlCredentials(e.getMessage()), WorkerMain.EXIT_CONFIGURATION);
    }
    MetricsEndpoint metricsEndpoint = null;
    CodecEndpoint codecEndpoint;
    try {
      metricsEndpoint = metricsAt.isEmpty() ? null : MetricsEndpoint.start(metricsAt.get(), metrics);
      codecEndpoint = codecAt.isEmpty() ? null
          : CodecEndpoint.start(codecAt.get(), new AesGcmPayloadCodec(PayloadKey.resolve(env, notice -> {})));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      closeAll(metricsEndpoint, connection, metrics);
      return fail(err, e.getMessage(), WorkerMain.EXIT_CONFIGURATION);
    }
    println(out, metricsEndpoint == null ? MetricsEndpoint.notStarted() : metricsEndpoint.describe());
    println(out, codecEndpoint == null ? CodecEndpoint.notStarted() : codecEndpoint.describe());
    AutoCloseable[] endpoints = {codecEndpoint, metricsEndpoint};
    WorkerFactory factory = dockerOnly
        ? SiloWorker.createDockerOnly(connection.client(), queues.docker(), docker, tuning)
        : SiloWorker.create(connection.client(), queues, activities, tuning);
    println(out, tuning.describe());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  factory.shutdown();
                  factory.awaitTermination(30, TimeUnit.SECONDS);
                  closeAll(endpoints);
                  closeAll(connection, metrics);
                },
                "silo-worker-shutdown"));
    factory.start();
    out.println(
        "worker polling "
            + (dockerOnly ? queues.docker() + " only (Docker activities)" : queues.silo() + " and " + queues.docker())
            + " on Temporal at "
            + connection.address()
            + " (namespace "
            + connection.namespace()
            + ", payload key id "
            + connection.payloadKeyId()
            + "); Ctrl-C stops it");
    out.flush();

    // The shutdown hook drains the workers on Ctrl-C; until then this thread only keeps the
    // process alive.
    Thread.currentThread().join();
    return 0;
  }

  /** Closes each part that was opened, in the order given. */
  private static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          // The worker is stopping either way; one part failing to close must not keep the rest open.
        }
      }
    }
  }

  /** The option, else the variable, else the default; a name that is no valid queue is refused. */
  private String dockerTaskQueue() {
    String variable = env.get(DOCKER_TASK_QUEUE_VARIABLE);
    boolean fromVariable = dockerTaskQueue == null && variable != null && !variable.isBlank();
    String queue = dockerTaskQueue != null ? dockerTaskQueue : fromVariable ? variable : TaskQueues.DOCKER;
    String problem = DockerTaskQueue.problem(queue);
    if (problem != null) {
      String source = fromVariable ? DOCKER_TASK_QUEUE_VARIABLE : "--docker-task-queue";
      throw new IllegalArgumentException(source + " '" + queue + "' " + problem);
    }
    return queue;
  }

  private static int fail(PrintWriter err, String message, int exitCode) {
    println(err, message);
    return exitCode;
  }

  private static void println(PrintWriter writer, String line) {
    writer.println(line);
    writer.flush();
  }
}
