package dev.silo.worker.crash;

import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.PayloadKey;
import dev.silo.sandbox.Sandbox;
import dev.silo.starter.SiloCli;
import dev.silo.worker.DevServer;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;

/**
 * One Temporal server, one sandbox and one bare Git remote for the whole crash matrix, and the
 * worker as users run it: a separate {@code silo worker} process started from the shaded jar (or
 * the test classpath when the jar is not built), which a case can SIGKILL and replace.
 *
 * <p>Every silo of the matrix lives under one config root, each with its own client name, so the
 * cases share the sandbox without sharing a resource.
 */
final class CrashHarness implements AutoCloseable {

  /** The example silo every case copies under its own name. */
  private static final SiloNames EXAMPLE = new SiloNames("acme", "crm");

  private static final Duration WORKER_READY_BOUND = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(25);

  private final Path work;
  private final DevServer server;
  private final Sandbox sandbox;
  private final Path remote;
  private final Path configRoot;
  private final Map<String, String> cliEnvironment;
  private final Map<String, String> workerEnvironment;
  private final TemporalConnection connection;
  private final List<Process> workers = new ArrayList<>();
  private Process worker;
  private int workerCount;

  private CrashHarness(Path work, DevServer server, Sandbox sandbox, Path remote, Path configRoot,
      Map<String, String> cliEnvironment, Map<String, String> workerEnvironment, TemporalConnection connection) {
    this.work = work;
    this.server = server;
    this.sandbox = sandbox;
    this.remote = remote;
    this.configRoot = configRoot;
    this.cliEnvironment = cliEnvironment;
    this.workerEnvironment = workerEnvironment;
    this.connection = connection;
  }

  /** Starts the server, the sandbox (no latency) and the remote; no worker runs yet. */
  static CrashHarness start() throws IOException {
    // The JDK server under the Fly and Netlify emulators closes a keep-alive connection idle for 30 s;
    // the worker's clients keep theirs 5 minutes and, sending nothing twice, fail a request made on a
    // connection that was closed (one activity attempt per stale pooled connection). Between two
    // cases a worker often idles longer than that, which is not what this matrix is about, so the
    // emulators keep idle connections open here. Set before the first server starts, which reads it.
    System.setProperty("sun.net.httpserver.idleInterval", "3600");
    Path work = Files.createTempDirectory("silo-crash-");
    DevServer server = DevServer.startOnFreePort("default");
    Sandbox sandbox = Sandbox.start(Duration.ZERO);
    Path remote = createRemote(work.resolve("remote.git"));
    Path configRoot = Files.createDirectories(work.resolve("config/silos"));

    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Map<String, String> cli = new HashMap<>();
    cli.put("TEMPORAL_ADDRESS", server.localAddress());
    cli.put("TEMPORAL_NAMESPACE", server.namespace());
    cli.put("SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key));

    Map<String, String> worker = new HashMap<>(cli);
    worker.putAll(sandbox.workerEnvironment());
    worker.put("SILO_CONFIG_ROOT", configRoot.toString());
    worker.put("SILO_GIT_REMOTE", remote.toString());
    worker.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
    worker.put("SILO_STATE_DIR", work.resolve("state").toString());
    worker.put("SILO_METRICS_PORT", "off");
    worker.put("HOME", Files.createDirectories(work.resolve("home")).toString());
    String path = System.getenv("PATH");
    if (path != null) {
      worker.put("PATH", path);
    }
    TemporalConnection connection = TemporalConnection.open(cli, notice -> { });
    return new CrashHarness(work, server, sandbox, remote, configRoot, Map.copyOf(cli), Map.copyOf(worker),
        connection);
  }

  Sandbox sandbox() {
    return sandbox;
  }

  WorkflowClient client() {
    return connection.client();
  }

  /**
   * Copies the example silo under the names of {@code silo}, each name the example holds replaced,
   * and registers the application at the desk.
   */
  void addSilo(SiloNames silo) throws IOException {
    Path source = Path.of("..", "examples", "config", "silos", EXAMPLE.configDirectory()).toAbsolutePath()
        .normalize();
    Path target = configRoot.resolve(silo.configDirectory());
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString()
            .replace(EXAMPLE.siloId(), silo.siloId()));
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.writeString(copy, Files.readString(file).replace(EXAMPLE.siloId(), silo.siloId()));
        }
      }
    }
    sandbox.desk().application(silo.client(), silo.app(), silo.client() + " " + silo.app());
  }

  /**
   * Deletes the silo's Netlify variables from the shared site (the earlier cases' branch values
   * with them, already checked), so that this case's run creates them instead of only adding its
   * branch values to variables an earlier case created.
   */
  void deleteNetlifyVariables(SiloNames silo) throws IOException {
    netlifyKeys(silo).forEach(sandbox.netlify()::deleteEnvVar);
  }

  /** The migration versions of the silo's config, in order. */
  List<String> migrationVersions(SiloNames silo) throws IOException {
    try (Stream<Path> files = Files.list(configRoot.resolve(silo.configDirectory()).resolve("supabase/migrations"))) {
      return files.map(file -> file.getFileName().toString().split("_", 2)[0]).sorted().toList();
    }
  }

  /** The keys of the silo's Netlify branch variables, as its config lists them. */
  List<String> netlifyKeys(SiloNames silo) throws IOException {
    return Files.readAllLines(configRoot.resolve(silo.configDirectory()).resolve("netlify.env.silo")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> line.split("=", 2)[0])
        .sorted()
        .toList();
  }

  /** Starts a {@code silo worker} process and waits until it polls; the running one, if any, keeps running. */
  void startWorker() throws IOException, InterruptedException {
    workerCount++;
    Path log = work.resolve("worker-" + workerCount + ".log");
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", workerClasspath(), "dev.silo.worker.WorkerMain", "worker"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).directory(work.toFile());
    builder.environment().clear();
    builder.environment().putAll(workerEnvironment);
    Process process = builder.start();
    workers.add(process);
    worker = process;
    long deadline = System.nanoTime() + WORKER_READY_BOUND.toNanos();
    while (!Files.readString(log).contains("worker polling")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("the worker did not start polling within " + WORKER_READY_BOUND.toSeconds()
            + " s:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  /** Starts a worker unless one runs. */
  void ensureWorker() throws IOException, InterruptedException {
    if (worker == null || !worker.isAlive()) {
      startWorker();
    }
  }

  /** SIGKILLs the running worker and waits until the process is gone. */
  void killWorker() throws InterruptedException {
    worker.destroyForcibly();
    if (!worker.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the killed worker process did not end");
    }
  }

  /** The last lines the current worker printed, for a failure message. */
  String workerLog() {
    try {
      List<String> lines = Files.readAllLines(work.resolve("worker-" + workerCount + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no worker log: " + e.getMessage() + ")";
    }
  }

  /** Runs one {@code silo} command in this JVM, as a user types it, and returns its exit code and output. */
  CliRun cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SiloCli.run(args, cliEnvironment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** What one command returned and printed. */
  record CliRun(int exitCode, String out, String err) {}

  /**
   * Deploys the silo through the CLI (containers skipped, bob requests, alice approves), waits for
   * its approval question and approves it.
   */
  void deployAndApprove(SiloNames silo) throws InterruptedException {
    CliRun deploy = cli("deploy", silo.client(), silo.app(), "--approver", "alice", "--requester", "bob",
        "--skip-containers");
    if (deploy.exitCode() != 0) {
      throw new AssertionError("silo deploy exited " + deploy.exitCode() + ": " + deploy.out() + deploy.err());
    }
    SiloDeploymentWorkflow run = client().newWorkflowStub(SiloDeploymentWorkflow.class, silo.workflowId());
    await("the run of " + silo.siloId() + " asks for approval", Duration.ofSeconds(90), () -> {
      try {
        SiloProgress progress = run.progress();
        return progress.pending() != null && SiloDeploymentWorkflow.APPROVE.equals(progress.pending().signal());
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    CliRun approve = cli("approve", silo.client(), silo.app(), "--as", "alice", "--comment", "crash matrix");
    if (approve.exitCode() != 0) {
      throw new AssertionError("silo approve exited " + approve.exitCode() + ": " + approve.out() + approve.err());
    }
  }

  /**
   * The run's report, waiting for its end at most {@code bound}; a run that failed reports through
   * its progress query, as {@code silo report} reads it.
   */
  SiloReport report(SiloNames silo, Duration bound) {
    try {
      return client().newUntypedWorkflowStub(silo.workflowId())
          .getResult(bound.toMillis(), TimeUnit.MILLISECONDS, SiloReport.class);
    } catch (WorkflowFailedException failed) {
      return client().newWorkflowStub(SiloDeploymentWorkflow.class, silo.workflowId()).progress().report();
    } catch (TimeoutException e) {
      throw new AssertionError("the run of " + silo.siloId() + " did not end within " + bound.toSeconds()
          + " s; " + describe(silo) + "\nthe worker's last lines:\n" + workerLog());
    }
  }

  /** Where the run stands on the server: its pending workflow task and activities, its last events. */
  String describe(SiloNames silo) {
    try {
      DescribeWorkflowExecutionResponse description = connection.stubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder().setNamespace(connection.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(silo.workflowId())).build());
      StringBuilder text = new StringBuilder("pending workflow task: ")
          .append(description.hasPendingWorkflowTask() ? description.getPendingWorkflowTask().getState() : "none");
      description.getPendingActivitiesList().forEach(activity -> text.append("; pending activity ")
          .append(activity.getActivityType().getName()).append(' ').append(activity.getState())
          .append(" attempt ").append(activity.getAttempt()));
      List<HistoryEvent> events = client().fetchHistory(silo.workflowId()).getEvents();
      text.append("; last events:");
      events.subList(Math.max(0, events.size() - 8), events.size())
          .forEach(event -> text.append(' ').append(event.getEventType().name().replace("EVENT_TYPE_", "")));
      return text.toString();
    } catch (RuntimeException e) {
      return "(cannot describe the run: " + e.getMessage() + ")";
    }
  }

  /** The commit a ref of the remote points at, or null. */
  String remoteRef(String name) throws IOException {
    try (Git git = Git.open(remote.toFile())) {
      Ref ref = git.getRepository().exactRef(name);
      return ref == null ? null : ref.getObjectId().name();
    }
  }

  /** Every branch on the remote. */
  List<String> remoteBranches() throws IOException {
    try (Git git = Git.open(remote.toFile())) {
      return git.getRepository().getRefDatabase().getRefsByPrefix("refs/heads/").stream()
          .map(ref -> ref.getName().substring("refs/heads/".length())).toList();
    }
  }

  /**
   * Polls {@code condition} until it holds, failing after {@code bound}; the pause between polls
   * only spaces them out.
   */
  static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + bound.toSeconds() + " s in vain for: " + what);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  @Override
  public void close() {
    workers.forEach(Process::destroyForcibly);
    connection.close();
    sandbox.close();
    server.close();
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The shaded worker jar the build made, else this JVM's classpath (an IDE run). */
  private static String workerClasspath() {
    Path jar = Path.of("target", "silo-worker.jar").toAbsolutePath();
    return Files.isRegularFile(jar) ? jar.toString() : System.getProperty("java.class.path");
  }

  /** A bare repository whose {@code main} holds one commit. */
  private static Path createRemote(Path bare) throws IOException {
    Path seed = bare.resolveSibling("seed");
    try (Git repository = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
      Files.writeString(seed.resolve("README.md"), "# crash matrix\n");
      repository.add().addFilepattern("README.md").call();
      repository.commit().setMessage("Initial commit").setAuthor("Crash", "crash@example.com")
          .setCommitter("Crash", "crash@example.com").setSign(false).call();
      Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
      repository.push().setRemote(bare.toUri().toString()).add("main").call();
      return bare;
    } catch (GitAPIException e) {
      throw new UncheckedIOException(new IOException("cannot create the Git remote: " + e.getMessage(), e));
    }
  }
}
