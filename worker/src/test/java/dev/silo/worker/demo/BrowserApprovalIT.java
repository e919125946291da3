package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.AesGcmPayloadCodec;
import dev.silo.client.codec.PayloadKey;
import dev.silo.sandbox.Sandbox;
import dev.silo.starter.SiloCli;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.SiloWorker;
import dev.silo.worker.codec.CodecEndpoint;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The approval as an operator gives it in the real Temporal Web UI: the real server ({@code temporal
 * server start-dev}), a worker with the real activities and its codec endpoint, the sandbox for Fly,
 * Netlify and the desk (containers skipped), and headless Debian Chromium driven by {@code
 * e2e/approve-in-ui.js}. Each step's screenshot lands in {@code target/e2e-screenshots/}.
 */
class BrowserApprovalIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WORKFLOW_ID = "silo-acme-crm";
  private static final Duration AWAITING_BOUND = Duration.ofSeconds(90);
  private static final Duration DEPLOYED_BOUND = Duration.ofSeconds(120);
  private static final Duration BROWSER_BOUND = Duration.ofMinutes(3);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  /** Activity and timer summaries the approved run's event history must show, decoded. */
  private static final List<String> SUMMARIES = List.of("load silo config acme/crm",
      "deploy Fly app " + new SiloNames(DemoEnvironment.CLIENT, DemoEnvironment.APP).flyApp("pg"),
      "push branch " + new SiloNames(DemoEnvironment.CLIENT, DemoEnvironment.APP).branch(),
      // The timer of the approval wait, at the CLI's default timeout.
      "approval of the plan, up to 24h");

  private static BrowserRequirement.Tools tools;
  private static Path work;
  private static RealDevServer server;
  private static int codecPort;
  private static Sandbox sandbox;
  private static CodecEndpoint codec;
  private static TemporalConnection connection;
  private static WorkerFactory workers;
  private static Map<String, String> cliEnvironment;
  private static String codecToken;
  private static Path screenshots;

  @BeforeAll
  static void start() throws Exception {
    tools = BrowserRequirement.require();
    work = Files.createTempDirectory("silo-browser-");
    screenshots = Path.of("target", "e2e-screenshots").toAbsolutePath();
    Files.createDirectories(screenshots);
    // The dev server's own launcher, on free ports, its database and log under target/ so a failed
    // run leaves the server's log beside the screenshots; a run starts from an empty database.
    Path serverData = Path.of("target", "e2e-temporal").toAbsolutePath();
    DemoEnvironment.deleteRecursively(serverData);
    codecPort = freePort();
    server = RealDevServer.start(RealDevServer.Settings.loopback(tools.temporal(), freePort(), freePort(),
        serverData.resolve("temporal.db"), "http://127.0.0.1:" + codecPort));
    System.err.println("browser test: temporal " + server.version() + ", Web UI " + uiUrl() + ", log "
        + server.logFile());

    sandbox = Sandbox.start(Duration.ZERO);
    sandbox.desk().application(DemoEnvironment.CLIENT, DemoEnvironment.APP, "Acme CRM");
    Path configRoot = work.resolve("config/silos");
    Files.createDirectories(configRoot);
    DemoConfig.copyExample(repository(), DemoEnvironment.CLIENT + "-" + DemoEnvironment.APP, configRoot, false);
    Path remote = DemoEnvironment.createRemote(work.resolve("remote.git"));

    String key = DemoEnvironment.randomKey();
    codecToken = DemoEnvironment.randomKey().replaceAll("[^A-Za-z0-9]", "");
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.putAll(sandbox.workerEnvironment());
    environment.put("TEMPORAL_ADDRESS", server.address());
    environment.put("TEMPORAL_NAMESPACE", "default");
    environment.put("SILO_PAYLOAD_KEY", key);
    environment.put("SILO_CONFIG_ROOT", configRoot.toString());
    environment.put("SILO_GIT_REMOTE", remote.toString());
    environment.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
    environment.put("SILO_STATE_DIR", work.resolve("state").toString());
    // Unsigned decisions, as the UI sends them: no allowed-signers file, and no engine (containers skipped).
    environment.remove("SILO_ALLOWED_SIGNERS");
    environment.remove("SILO_GIT_TOKEN");
    environment.remove("SILO_GIT_USERNAME");
    environment.put("DOCKER_HOST", "unix://" + work.resolve("no-engine.sock"));

    codec = CodecEndpoint.start(new CodecEndpoint.Settings(codecToken, "127.0.0.1", codecPort, uiUrl()),
        new AesGcmPayloadCodec(PayloadKey.resolve(environment, notice -> { })));
    connection = TemporalConnection.open(environment, notice -> { });
    workers = SiloWorker.create(connection.client(), SiloWorker.Queues.DEFAULT,
        EnvironmentActivities.build(environment, connection.client(), line -> { }));
    workers.start();
    cliEnvironment = Map.of("TEMPORAL_ADDRESS", server.address(), "TEMPORAL_NAMESPACE", "default",
        "SILO_PAYLOAD_KEY", key);
  }

  @AfterAll
  static void stop() {
    if (workers != null) {
      workers.shutdownNow();
    }
    if (connection != null) {
      connection.close();
    }
    if (codec != null) {
      codec.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (server != null) {
      server.close();
    }
    if (work != null) {
      DemoEnvironment.deleteRecursively(work);
    }
  }

  @AfterEach
  void endTheRun() {
    try {
      WorkflowStub run = connection.client().newUntypedWorkflowStub(WORKFLOW_ID);
      run.terminate("the browser test is over");
    } catch (RuntimeException e) {
      // The run already completed: nothing to end.
    }
  }

  @Test
  void givenARunAwaitingApproval_whenAliceApprovesInTheWebUi_itShouldCompleteAndNameHerInTheReport() throws Exception {
    deploy();

    long started = System.nanoTime();
    browser("approve", "alice", "approval");
    System.err.println("browser test: the approval case took " + elapsedSeconds(started) + " s in the browser");

    awaitStatus("DEPLOYED", DEPLOYED_BOUND);
    String printed = cli("report", "acme", "crm", "--output", "json");
    JsonNode report = JSON.readTree(printed.lines().reduce((first, second) -> second).orElseThrow());
    assertThat(report.findValues("decisions")).as(printed).isNotEmpty();
    assertThat(report.findValues("decisions").get(0)).anySatisfy(decision -> {
      assertThat(decision.path("actor").asText()).isEqualTo("alice");
      assertThat(decision.path("accepted").asBoolean()).isTrue();
      assertThat(decision.path("via").asText()).isEqualTo("update");
    });
  }

  @Test
  void givenARunAwaitingApproval_whenSomeoneNotAnApproverApprovesInTheWebUi_itShouldShowTheRefusal() throws Exception {
    deploy();

    long started = System.nanoTime();
    browser("refuse", "mallory", "refusal");
    System.err.println("browser test: the refusal case took " + elapsedSeconds(started) + " s in the browser");

    assertThat(cli("status", "acme", "crm", "--output", "json")).contains("AWAITING_APPROVAL");
  }

  private void deploy() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SiloCli.run(new String[] {"deploy", "acme", "crm", "--approver", "alice", "--requester", "bob",
        "--skip-containers"},
        cliEnvironment, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as("silo deploy: " + out + err).isZero();
    awaitStatus("AWAITING_APPROVAL", AWAITING_BOUND);
  }

  /**
   * Runs the browser script to its end within {@link #BROWSER_BOUND}; on a timeout it is killed and
   * the test fails with what it printed, its screenshots left in place.
   */
  private void browser(String expect, String actor, String caseName) throws Exception {
    Path log = screenshots.resolve(caseName + ".log");
    ProcessBuilder script = new ProcessBuilder(tools.node().toString(), tools.script().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = script.environment();
    env.put("SILO_E2E_UI", uiUrl());
    env.put("SILO_E2E_CODEC", codec.uri().toString());
    env.put("SILO_E2E_CODEC_TOKEN", codecToken);
    env.put("SILO_E2E_WORKFLOW_ID", WORKFLOW_ID);
    env.put("SILO_E2E_ACTOR", actor);
    env.put("SILO_E2E_EXPECT", expect);
    env.put("SILO_E2E_CASE", caseName);
    env.put("SILO_E2E_SCREENSHOTS", screenshots.toString());
    env.put("SILO_E2E_CHROMIUM", tools.chromium().toString());
    env.put("SILO_E2E_SUMMARIES", String.join("|", SUMMARIES));
    env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    Process process = script.start();
    if (!process.waitFor(BROWSER_BOUND.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("the browser script did not end within " + BROWSER_BOUND.toSeconds() + " s; screenshots in "
          + screenshots + ", its output:\n" + Files.readString(log));
    }
    assertThat(process.exitValue()).as("the browser script (screenshots in " + screenshots + "), its output:\n"
        + Files.readString(log)).isZero();
  }

  /** Polls {@code silo status --output json} until it shows {@code expected}, failing after {@code bound}. */
  private void awaitStatus(String expected, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    String status = cli("status", "acme", "crm", "--output", "json");
    while (!status.contains("\"" + expected + "\"")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("silo status never showed " + expected + " within " + bound.toSeconds()
            + " s; last output:\n" + status);
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
      status = cli("status", "acme", "crm", "--output", "json");
    }
  }

  private static String cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SiloCli.run(args, cliEnvironment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  private static long elapsedSeconds(long started) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("examples").toFile().isDirectory() ? here : here.getParent();
  }

  /** Where {@code examples/} and {@code e2e/} are: the repository root, or its parent from the module. */
  static Path repositoryRoot() {
    return repository();
  }

  private static String uiUrl() {
    return server.uiAddress().orElseThrow();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
