package dev.silo.worker.demo;

import dev.silo.client.TemporalConnection;
import dev.silo.sandbox.release.DemoHealthEndpoints;
import dev.silo.sandbox.release.DemoPrometheus;
import dev.silo.sandbox.release.WebhookReceiver;
import dev.silo.starter.SiloCli;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.WatchWindow;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Everything the promotion of the example release needs, on this machine and without a network:
 * the embedded Temporal server, one embedded PostgreSQL with a database per environment, each
 * environment's health endpoints, a Prometheus-compatible metrics API, a webhook receiver standing
 * in for Slack and the incident tool, a bare Git repository holding the example tagged {@value
 * DemoReleaseRepository#VERSION}, and a worker with the real activity implementations pointed at
 * all of it.
 */
public final class ReleaseDemoEnvironment implements AutoCloseable {

  /** The project the demo promotes. */
  public static final String PROJECT = DemoReleaseRepository.PROJECT;

  /** The version the demo promotes: a tag of the demo's repository. */
  public static final String VERSION = DemoReleaseRepository.VERSION;

  static final List<String> ENVIRONMENTS = EnvironmentDefinition.PROMOTION_ORDER;

  /**
   * Variables that would point the demo's worker at real systems; the release demo needs none of
   * them and must touch nothing outside this machine.
   */
  private static final List<String> REAL_SYSTEM_VARIABLES = List.of("SILO_GIT_REMOTE", "SILO_GIT_USERNAME",
      "SILO_GIT_TOKEN", "FLY_API_TOKEN", "NETLIFY_AUTH_TOKEN", "SOMTECH_DESK_URL");

  private static final long REPORT_PATIENCE_SECONDS = 180;

  private final Path workDirectory;
  private final Deque<AutoCloseable> started;
  private final DemoEnvironment.Temporal server;
  private final DemoDatabases databases;
  private final WebhookReceiver webhooks;
  private final TemporalConnection connection;
  private final Map<String, String> cliEnvironment;

  private ReleaseDemoEnvironment(Path workDirectory, Deque<AutoCloseable> started, DemoEnvironment.Temporal server,
      DemoDatabases databases, WebhookReceiver webhooks, TemporalConnection connection,
      Map<String, String> cliEnvironment) {
    this.workDirectory = workDirectory;
    this.started = started;
    this.server = server;
    this.databases = databases;
    this.webhooks = webhooks;
    this.connection = connection;
    this.cliEnvironment = cliEnvironment;
  }

  /**
   * Starts it all.
   *
   * @param repository the repository root, where {@code examples/release} is
   * @param environment the process environment ({@code PATH} finds bash, pg_dump and pg_restore;
   *     {@code PG_BIN} is honoured); the variables of real systems are left out
   * @param injectLatency whether prod's p99 latency rises to {@value DemoPrometheus#INJECTED_P99_MILLIS}
   *     ms once prod's health checks have passed
   * @param notice where to say what was started
   */
  public static ReleaseDemoEnvironment start(Path repository, Map<String, String> environment, boolean injectLatency,
      Consumer<String> notice) {
    Path work = DemoEnvironment.createWorkDirectory();
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      String key = DemoEnvironment.randomKey();
      // The silo demo's choice: the real server and its Web UI when a temporal binary is found.
      DemoEnvironment.Temporal server = DemoEnvironment.startTemporal(environment, work, key, notice);
      List<AutoCloseable> serverParts = new ArrayList<>(server.parts());
      Collections.reverse(serverParts);
      serverParts.forEach(started::push);

      DemoDatabases databases = DemoDatabases.start(work.resolve("postgres"), ENVIRONMENTS);
      started.push(databases);
      notice.accept("PostgreSQL on " + DemoDatabases.HOST + ":" + databases.port() + " with "
          + ENVIRONMENTS.stream().map(DemoDatabases::database).collect(Collectors.joining(", "))
          + " (user " + DemoDatabases.USER + ", a generated password)");

      DemoHealthEndpoints health = DemoHealthEndpoints.start(databases, ENVIRONMENTS);
      started.push(health);
      notice.accept("health endpoints " + String.join(" and ", DemoHealthEndpoints.ENDPOINTS) + ": "
          + ENVIRONMENTS.stream().map(name -> name + " " + health.baseUrl(name)).collect(Collectors.joining(", ")));

      DemoPrometheus metrics = DemoPrometheus.start(ENVIRONMENTS, WatchWindow.DEFAULT_ERROR_RATE_QUERY,
          WatchWindow.DEFAULT_P99_QUERY, name -> injectLatency && "prod".equals(name) && health.passedOnce("prod"));
      started.push(metrics);
      notice.accept("metrics (Prometheus HTTP API) at " + metrics.url("{environment}") + ": error rate "
          + DemoPrometheus.ERROR_RATE_PERCENT + "%, p99 " + DemoPrometheus.P99_MILLIS + " ms"
          + (injectLatency ? "; prod's p99 rises to " + DemoPrometheus.INJECTED_P99_MILLIS
              + " ms once its health checks have passed" : ""));

      WebhookReceiver webhooks = WebhookReceiver.start();
      started.push(webhooks);
      notice.accept("webhook receiver: Slack " + webhooks.slackUrl() + ", incidents " + webhooks.incidentUrl());

      Path releases = Files.createDirectories(work.resolve("releases"));
      Path bare = DemoReleaseRepository.create(repository, releases.resolve(PROJECT + ".git"), ENVIRONMENTS,
          databases, health, metrics);
      notice.accept("release repository " + bare + ": " + DemoReleaseRepository.EXAMPLE + " on main, tagged "
          + VERSION + "; its environment files point at the servers above and watch for "
          + DemoReleaseRepository.EARLIER_WATCH_WINDOW + " (prod " + DemoReleaseRepository.PROD_WATCH_WINDOW
          + "), reading every " + DemoReleaseRepository.WATCH_INTERVAL);

      Map<String, String> workerEnvironment = new HashMap<>(environment);
      REAL_SYSTEM_VARIABLES.forEach(workerEnvironment::remove);
      workerEnvironment.put("TEMPORAL_ADDRESS", server.address());
      workerEnvironment.put("TEMPORAL_NAMESPACE", server.namespace());
      workerEnvironment.put("SILO_PAYLOAD_KEY", key);
      workerEnvironment.put("SILO_CONFIG_ROOT", work.resolve("config/silos").toString());
      workerEnvironment.put("SILO_STATE_DIR", work.resolve("state").toString());
      workerEnvironment.put("SILO_WORKSPACES", work.resolve("workspaces").toString());
      workerEnvironment.put("SILO_RELEASE_REPOSITORY", releases.resolve("{project}.git").toString());
      for (String name : ENVIRONMENTS) {
        workerEnvironment.put(passwordVariable(name), databases.password());
      }
      workerEnvironment.put("RELEASE_SLACK_WEBHOOK_URL", webhooks.slackUrl());
      workerEnvironment.put("RELEASE_INCIDENT_WEBHOOK_URL", webhooks.incidentUrl());

      TemporalConnection connection = TemporalConnection.open(workerEnvironment, notice);
      started.push(connection);
      WorkerFactory workers = SiloWorker.create(connection.client(), SiloWorker.Queues.DEFAULT,
          EnvironmentActivities.build(workerEnvironment, connection.client(), line -> { }));
      started.push(workers::shutdownNow);
      workers.start();
      notice.accept("worker with SILO_RELEASE_REPOSITORY=" + workerEnvironment.get("SILO_RELEASE_REPOSITORY")
          + ", " + ENVIRONMENTS.stream().map(ReleaseDemoEnvironment::passwordVariable).collect(Collectors.joining(", "))
          + ", RELEASE_SLACK_WEBHOOK_URL and RELEASE_INCIDENT_WEBHOOK_URL");

      Map<String, String> cli = new HashMap<>();
      cli.put("TEMPORAL_ADDRESS", server.address());
      cli.put("TEMPORAL_NAMESPACE", server.namespace());
      cli.put("SILO_PAYLOAD_KEY", key);
      return new ReleaseDemoEnvironment(work, started, server, databases, webhooks, connection, Map.copyOf(cli));
    } catch (IOException e) {
      closeAll(started, work);
      throw new UncheckedIOException("the release demo could not start", e);
    } catch (RuntimeException e) {
      closeAll(started, work);
      throw e;
    }
  }

  /** The worker variable holding an environment's database password, as the example's files name it. */
  static String passwordVariable(String environment) {
    return "EXPENSES_" + environment.toUpperCase(Locale.ROOT) + "_DB_PASSWORD";
  }

  /** The Web UI's page of a workflow, when the demo runs the real server. */
  public Optional<String> workflowPage(String workflowId) {
    return Optional.ofNullable(server.workflowPage().apply(workflowId));
  }

  /** The address that authorizes a browser at this demo's codec endpoint, when it runs the real server. */
  public Optional<String> codecAuthorization() {
    return Optional.ofNullable(server.codecAuthorization());
  }

  /** Runs one {@code silo} CLI command against this environment, exactly as a user would type it. */
  public int cli(PrintStream out, PrintStream err, String... args) {
    return SiloCli.run(args, cliEnvironment, out, err);
  }

  /** The variables a person sets to use the CLI against this environment from another terminal. */
  public Map<String, String> cliEnvironment() {
    return cliEnvironment;
  }

  public TemporalConnection connection() {
    return connection;
  }

  DemoDatabases databases() {
    return databases;
  }

  WebhookReceiver webhooks() {
    return webhooks;
  }

  /**
   * Waits for the promotion of {@link #VERSION} to end and returns its report, which a failed
   * promotion carries in its failure; empty when it was never started or ended without one.
   */
  public Optional<ReleaseReport> releaseReport() {
    WorkflowStub pipeline = connection.client()
        .newUntypedWorkflowStub(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION));
    try {
      return Optional.of(pipeline.getResult(REPORT_PATIENCE_SECONDS, TimeUnit.SECONDS, ReleaseReport.class));
    } catch (WorkflowFailedException e) {
      if (e.getCause() instanceof ApplicationFailure failure && failure.getDetails().getSize() > 0) {
        return Optional.of(failure.getDetails().get(ReleaseReport.class));
      }
      return Optional.empty();
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("the promotion did not end within " + REPORT_PATIENCE_SECONDS + " s");
    }
  }

  @Override
  public void close() {
    closeAll(started, workDirectory);
  }

  /** Stops what started, last first; a part that fails to stop does not keep the others running. */
  private static void closeAll(Deque<AutoCloseable> started, Path work) {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        // The demo's outcome is already printed; what is left runs in this process and ends with it.
      }
    }
    DemoEnvironment.deleteRecursively(work);
  }
}
