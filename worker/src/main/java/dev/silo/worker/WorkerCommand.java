package dev.silo.worker;

import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.client.ServerUnreachableException;
import dev.silo.workflows.client.TemporalConnection;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
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
      "and SILO_WORKSPACES for release pipelines, and the variables the release files name."
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

  @Option(
      names = "--docker-task-queue",
      defaultValue = TaskQueues.DOCKER,
      description = "Queue for the Docker activities (default: ${DEFAULT-VALUE}).")
  private String dockerTaskQueue;

  WorkerCommand(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SiloWorker.Queues queues;
    try {
      queues = new SiloWorker.Queues(taskQueue, dockerTaskQueue);
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage(), WorkerMain.EXIT_CONFIGURATION);
    }

    TemporalConnection connection;
    try {
      connection = TemporalConnection.open(env, notice -> println(err, notice));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return fail(err, e.getMessage(), WorkerMain.EXIT_CONFIGURATION);
    }
    try {
      connection.ensureReachable();
    } catch (ServerUnreachableException e) {
      connection.close();
      return fail(err, e.getMessage(), WorkerMain.EXIT_UNREACHABLE);
    }

    SiloActivities activities;
    try {
      activities = EnvironmentActivities.build(env, connection.client(), line -> println(out, line));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      connection.close();
      return fail(err, EnvironmentActivities.withoutUrlCredentials(e.getMessage()), WorkerMain.EXIT_CONFIGURATION);
    }
    WorkerFactory factory = SiloWorker.create(connection.client(), queues, activities);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  factory.shutdown();
                  factory.awaitTermination(30, TimeUnit.SECONDS);
                  connection.close();
                },
                "silo-worker-shutdown"));
    factory.start();
    out.println(
        "worker polling "
            + queues.silo()
            + " and "
            + queues.docker()
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

  private static int fail(PrintWriter err, String message, int exitCode) {
    println(err, message);
    return exitCode;
  }

  private static void println(PrintWriter writer, String line) {
    writer.println(line);
    writer.flush();
  }
}
