package dev.silo.worker.realserver;

import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.PayloadKey;
import dev.silo.sandbox.Sandbox;
import dev.silo.starter.SiloCli;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.SandboxRuns;
import dev.silo.worker.TemporalBinary;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import io.temporal.client.WorkflowClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The real Temporal server ({@code temporal server start-dev} on a database file of its own), the
 * sandbox, a bare Git remote holding a {@code main} commit, the example silo {@code acme-crm}, and
 * the worker as users run it: a {@code silo worker} child process. The server and the worker can
 * each be SIGKILLed and started again; the CLI commands run in this JVM, as a user types them.
 */
final class RealServerRig implements AutoCloseable {

  static final SiloNames SILO = SandboxRuns.NAMES;

  private static final Duration WORKER_READY = Duration.ofSeconds(120);

  private final Path work;
  private final RealDevServer server;
  private final Sandbox sandbox;
  private final Path remote;
  private final Map<String, String> cliEnvironment;
  private final Map<String, String> workerEnvironment;
  private final TemporalConnection connection;
  private final List<Process> workers = new ArrayList<>();
  private Process worker;

  private RealServerRig(Path work, RealDevServer server, Sandbox sandbox, Path remote,
      Map<String, String> cliEnvironment, Map<String, String> workerEnvironment, TemporalConnection connection) {
    this.work = work;
    this.server = server;
    this.sandbox = sandbox;
    this.remote = remote;
    this.cliEnvironment = cliEnvironment;
    this.workerEnvironment = workerEnvironment;
    this.connection = connection;
  }

  /** Starts the server, the sandbox and the remote; no worker runs yet. */
  static RealServerRig start() throws IOException {
    Path binary = TemporalBinary.require();
    Path work = Files.createTempDirectory("silo-real-server-");
    RealDevServer server = RealDevServer.start(RealDevServer.Settings.loopback(binary, freePort(), 0,
        work.resolve("temporal/dev-server.db"), null));
    Sandbox sandbox = null;
    try {
      sandbox = Sandbox.start(Duration.ZERO);
      sandbox.desk().application(SILO.client(), SILO.app(), "Acme CRM");
      Path remote = createRemote(work.resolve("remote.git"));
      Path configRoot = Files.createDirectories(work.resolve("config/silos"));
      SandboxRuns.copyExampleSilo(configRoot);

      byte[] key = new byte[PayloadKey.KEY_BYTES];
      new SecureRandom().nextBytes(key);
      Map<String, String> cli = new HashMap<>();
      cli.put("TEMPORAL_ADDRESS", server.address());
      cli.put("TEMPORAL_NAMESPACE", server.namespace());
      cli.put("SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key));
      cli.put("HOME", Files.createDirectories(work.resolve("home")).toString());

      Map<String, String> worker = new HashMap<>(cli);
      worker.putAll(sandbox.workerEnvironment());
      worker.put("SILO_CONFIG_ROOT", configRoot.toString());
      worker.put("SILO_GIT_REMOTE", remote.toString());
      worker.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
      worker.put("SILO_STATE_DIR", work.resolve("state").toString());
      worker.put("SILO_METRICS_PORT", "off");
      String path = System.getenv("PATH");
      if (path != null) {
        worker.put("PATH", path);
      }
      TemporalConnection connection = TemporalConnection.open(cli, notice -> { });
      return new RealServerRig(work, server, sandbox, remote, Map.copyOf(cli), Map.copyOf(worker), connection);
    } catch (IOException | RuntimeException e) {
      if (sandbox != null) {
        sandbox.close();
      }
      server.kill();
      throw e;
    }
  }

  RealDevServer server() {
    return server;
  }

  Sandbox sandbox() {
    return sandbox;
  }

  Path remote() {
    return remote;
  }

  WorkflowClient client() {
    return connection.client();
  }

  /** Starts a {@code silo worker} process and waits until it polls. */
  void startWorker() throws IOException, InterruptedException {
    Path log = work.resolve("worker-" + (workers.size() + 1) + ".log");
    ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.silo.worker.WorkerMain",
        "worker")
        .redirectErrorStream(true).redirectOutput(log.toFile()).directory(work.toFile());
    builder.environment().clear();
    builder.environment().putAll(workerEnvironment);
    Process process = builder.start();
    workers.add(process);
    worker = process;
    await("the worker polls", WORKER_READY, () -> {
      if (!process.isAlive()) {
        throw new AssertionError("the worker stopped:\n" + workerLog());
      }
      return workerLog().contains("worker polling");
    });
  }

  /** SIGKILLs the worker process and waits until it is gone. */
  void killWorker() throws InterruptedException {
    worker.destroyForcibly();
    if (!worker.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the killed worker process did not end");
    }
  }

  /** The current worker's output. */
  String workerLog() {
    try {
      return Files.readString(work.resolve("worker-" + workers.size() + ".log"));
    } catch (IOException e) {
      return "(no worker log: " + e.getMessage() + ")";
    }
  }

  /** Runs one {@code silo} command in this JVM and fails the test unless it exits 0. */
  String cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = SiloCli.run(args, cliEnvironment, stream, stream);
    String printed = out.toString(StandardCharsets.UTF_8);
    if (code != 0) {
      throw new AssertionError("silo " + String.join(" ", args) + " exited " + code + ":\n" + printed);
    }
    return printed;
  }

  /** Deploys the silo through the CLI (containers skipped), waits for its question and approves it. */
  void deployAndApprove() throws InterruptedException {
    cli("deploy", SILO.client(), SILO.app(), "--unsigned", "--approver", "alice", "--requester", "bob",
        "--skip-containers");
    SiloDeploymentWorkflow run = client().newWorkflowStub(SiloDeploymentWorkflow.class, SILO.workflowId());
    await("the run asks for approval", Duration.ofSeconds(90), () -> {
      try {
        SiloProgress progress = run.progress();
        return progress.pending() != null && SiloDeploymentWorkflow.APPROVE.equals(progress.pending().signal());
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    cli("approve", SILO.client(), SILO.app(), "--unsigned", "--as", "alice", "--comment", "durability");
  }

  /** The machines the sandbox holds in the silo's Fly organization. */
  long flyMachines() {
    return sandbox.fly().apps().stream().filter(app -> app.org().equals(SILO.flyOrg()))
        .mapToLong(app -> app.machines().size()).sum();
  }

  /** Polls {@code condition} until it holds, failing after {@code bound}. */
  static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + bound.toSeconds() + " s in vain for: " + what);
      }
      Thread.sleep(25);
    }
  }

  @Override
  public void close() {
    workers.forEach(Process::destroyForcibly);
    connection.close();
    sandbox.close();
    server.kill();
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path createRemote(Path bare) throws IOException {
    Path seed = bare.resolveSibling("seed");
    try (Git repository = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
      Files.writeString(seed.resolve("README.md"), "# acme-crm\n");
      repository.add().addFilepattern("README.md").call();
      repository.commit().setMessage("Initial commit").setAuthor("Acme", "dev@acme.example")
          .setCommitter("Acme", "dev@acme.example").setSign(false).call();
      Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
      repository.push().setRemote(bare.toUri().toString()).add("main").call();
      return bare;
    } catch (GitAPIException e) {
      throw new UncheckedIOException(new IOException("cannot create the Git remote: " + e.getMessage(), e));
    }
  }
}
