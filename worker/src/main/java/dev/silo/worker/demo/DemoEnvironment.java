package dev.silo.worker.demo;

import dev.silo.activities.docker.AgentImage;
import dev.silo.activities.docker.DockerEngine;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.AesGcmPayloadCodec;
import dev.silo.client.codec.PayloadKey;
import dev.silo.sandbox.Sandbox;
import dev.silo.starter.SiloCli;
import dev.silo.worker.DevServer;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.SiloWorker;
import dev.silo.worker.codec.CodecEndpoint;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Everything a silo deployment needs, on this machine: the real Temporal server with its Web UI
 * and a codec endpoint when a {@code temporal} binary is found (as {@code silo dev-server} chooses),
 * else the embedded one; the SaaS
 * sandbox (Fly with a real PostgreSQL behind the pg app, Netlify, the desk), a bare Git remote with
 * a {@code main} commit, a copy of the example config, the real container engine when one answers,
 * and a worker with the real activity implementations pointed at all of it.
 *
 * <p>It is one unit over 300 lines because it wires one environment whose parts are started in
 * order and closed together; split, the order and the cleanup after a failed start would be
 * scattered.
 */
public final class DemoEnvironment implements AutoCloseable {

  /** The example silo the demo deploys. */
  public static final String CLIENT = "acme";

  public static final String APP = "crm";

  private final Path workDirectory;
  private final Path configRoot;
  private final Temporal server;
  private final Sandbox sandbox;
  private final Optional<DockerEngine> engine;
  private final TemporalConnection connection;
  private final Map<String, String> cliEnvironment;
  private final Path remote;
  private final WorkerFactory workers;

  /**
   * The Temporal server the demo runs, and what it offers.
   *
   * @param address where clients reach it
   * @param namespace the namespace the runs are in
   * @param workflowPage the Web UI's address of a workflow ID, or null without a Web UI
   * @param codecAuthorization the address that authorizes a browser at the codec endpoint, or null
   * @param parts what to close, in order
   */
  record Temporal(String address, String namespace, UnaryOperator<String> workflowPage,
      String codecAuthorization, List<AutoCloseable> parts) {}

  private DemoEnvironment(Path workDirectory, Path configRoot, Temporal server, Sandbox sandbox,
      Optional<DockerEngine> engine, TemporalConnection connection, Map<String, String> cliEnvironment, Path remote,
      WorkerFactory workers) {
    this.workDirectory = workDirectory;
    this.configRoot = configRoot;
    this.server = server;
    this.sandbox = sandbox;
    this.engine = engine;
    this.connection = connection;
    this.cliEnvironment = cliEnvironment;
    this.remote = remote;
    this.workers = workers;
  }

  /**
   * Starts it all.
   *
   * @param repository the repository root, where {@code examples/} is
   * @param latency what each sandbox call waits, to make the run look like the real thing
   * @param environment the process environment (DOCKER_HOST and PG_BIN are honoured; the SaaS
   *     variables are replaced by the sandbox's)
   * @param notice where to say what was started
   */
  public static DemoEnvironment start(Path repository, Duration latency, Map<String, String> environment,
      Consumer<String> notice) {
    return start(repository, latency, environment, notice, null);
  }

  /**
   * Starts it all, with the silo config copied under {@code keptConfigRoot} when given: the
   * containers' bind mounts read files of that copy, so containers left running after the demo
   * need it to outlive the demo, unlike the rest of its temporary work directory.
   *
   * @param keptConfigRoot where the config goes (replacing a copy an earlier demo left), or null to
   *     keep it in the work directory that {@link #close()} deletes
   */
  public static DemoEnvironment start(Path repository, Duration latency, Map<String, String> environment,
      Consumer<String> notice, Path keptConfigRoot) {
    Path work = createWorkDirectory();
    String key = randomKey();
    Temporal server = null;
    Sandbox sandbox = null;
    try {
      server = startTemporal(environment, work, key, notice);
      sandbox = Sandbox.start(latency);
      sandbox.desk().application(CLIENT, APP, "Acme CRM");
      notice.accept("sandbox: Fly " + sandbox.fly().url() + ", Netlify " + sandbox.netlify().url() + ", desk "
          + sandbox.desk().url());

      DockerEngine.Probe probe = DockerEngine.probe(WorkerSettings.docker(environment));
      Optional<DockerEngine> engine = probe.engine();
      if (engine.isPresent()) {
        AgentImage.ensure(engine.get());
        notice.accept("container engine at " + engine.get().host() + "; the example's 7 services run the local"
            + " image " + AgentImage.NAME + " (no registry is needed)");
      } else {
        notice.accept("no container engine: " + probe.tried() + "; the containers will be reported as skipped");
      }
      Path configRoot = keptConfigRoot == null ? work.resolve("config/silos") : keptConfigRoot;
      if (Files.exists(configRoot)) {
        deleteRecursively(configRoot);
      }
      Files.createDirectories(configRoot);
      DemoConfig.copyExample(repository, CLIENT + "-" + APP, configRoot, engine.isPresent());
      Path remote = createRemote(work.resolve("remote.git"));
      notice.accept("Git remote " + remote + " with a main commit");

      Map<String, String> workerEnvironment = new HashMap<>(environment);
      workerEnvironment.putAll(sandbox.workerEnvironment());
      workerEnvironment.put("TEMPORAL_ADDRESS", server.address());
      workerEnvironment.put("TEMPORAL_NAMESPACE", server.namespace());
      workerEnvironment.put("SILO_PAYLOAD_KEY", key);
      workerEnvironment.put("SILO_CONFIG_ROOT", configRoot.toString());
      workerEnvironment.put("SILO_GIT_REMOTE", remote.toString());
      workerEnvironment.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
      workerEnvironment.put("SILO_STATE_DIR", work.resolve("state").toString());
      workerEnvironment.remove("SILO_GIT_TOKEN");
      workerEnvironment.remove("SILO_GIT_USERNAME");

      TemporalConnection connection = TemporalConnection.open(workerEnvironment, notice);
      WorkerFactory workers = SiloWorker.create(connection.client(), SiloWorker.Queues.DEFAULT,
          EnvironmentActivities.build(workerEnvironment, connection.client(), line -> { }));
      workers.start();

      Map<String, String> cli = new HashMap<>();
      cli.put("TEMPORAL_ADDRESS", server.address());
      cli.put("TEMPORAL_NAMESPACE", server.namespace());
      cli.put("SILO_PAYLOAD_KEY", key);
      return new DemoEnvironment(work, configRoot, server, sandbox, engine, connection, Map.copyOf(cli), remote,
          workers);
    } catch (IOException e) {
      closeQuietly(sandbox, server);
      throw new UncheckedIOException("the demo could not start", e);
    } catch (RuntimeException e) {
      closeQuietly(sandbox, server);
      throw e;
    }
  }

  /**
   * The real Temporal server when a binary is found, on a database file in the work directory, its
   * Web UI on 127.0.0.1:8233 (another free port when that one is taken) decoding through a codec
   * endpoint of this demo's own; else the embedded server, saying in one line what is missing.
   */
  static Temporal startTemporal(Map<String, String> environment, Path work, String key,
      Consumer<String> notice) throws IOException {
    Optional<Path> binary = RealDevServer.find(environment);
    if (binary.isEmpty()) {
      DevServer embedded = DevServer.startOnFreePort("default");
      notice.accept("Temporal: the embedded Java test server (in memory, no Web UI) on " + embedded.localAddress()
          + "; for the real server and its Web UI, " + RealDevServer.HOW_TO_GET_IT);
      return new Temporal(embedded.localAddress(), embedded.namespace(), id -> null, null, List.of(embedded));
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int uiPort = isFree(loopback, RealDevServer.DEFAULT_UI_PORT) ? RealDevServer.DEFAULT_UI_PORT : freePort();
    String uiOrigin = "http://" + loopback.getHostAddress() + ":" + uiPort;
    String token = randomToken();
    CodecEndpoint codec = CodecEndpoint.start(new CodecEndpoint.Settings(token, loopback.getHostAddress(), 0, uiOrigin),
        new AesGcmPayloadCodec(PayloadKey.resolve(Map.of(PayloadKey.ENV_KEY, key), ignored -> { })));
    RealDevServer real;
    try {
      real = RealDevServer.start(RealDevServer.Settings.loopback(binary.get(), freePort(), uiPort,
          work.resolve("temporal/demo.db"), codec.uri().toString()));
    } catch (RealDevServer.StartException e) {
      codec.close();
      throw new IllegalStateException(e.getMessage(), e);
    }
    notice.accept("Temporal server " + real.version() + " (" + binary.get() + " server start-dev) on "
        + real.address() + ", data in " + real.databaseFile() + " (removed at the end)");
    notice.accept("Web UI " + real.uiAddress().orElseThrow() + ", decoding payloads through this demo's codec"
        + " endpoint " + codec.uri() + ": open " + codec.uri() + "/auth?token=" + token
        + " once in the browser (this demo's token, valid while it runs)");
    return new Temporal(real.address(), real.namespace(), id -> real.workflowPage(id).orElse(null),
        codec.uri() + "/auth?token=" + token, List.of(real, codec));
  }

  private static boolean isFree(InetAddress address, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    StringBuilder hex = new StringBuilder();
    for (byte b : bytes) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  /** The Web UI's page of a workflow, when the demo runs the real server. */
  public Optional<String> workflowPage(String workflowId) {
    return Optional.ofNullable(server.workflowPage().apply(workflowId));
  }

  /** The address that authorizes a browser at the demo's codec endpoint, when it runs one. */
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

  public Sandbox sandbox() {
    return sandbox;
  }

  public Optional<DockerEngine> engine() {
    return engine;
  }

  public TemporalConnection connection() {
    return connection;
  }

  /** Where the silo config the worker reads lives: the containers' bind mounts read files under it. */
  public Path configRoot() {
    return configRoot;
  }

  /** The bare Git remote the silo branch is pushed to. */
  public Path remote() {
    return remote;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    connection.close();
    closeQuietly(sandbox, server);
    engine.ifPresent(DockerEngine::close);
    deleteRecursively(workDirectory);
  }

  static Path createWorkDirectory() {
    try {
      return Files.createTempDirectory("silo-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo's work directory", e);
    }
  }

  /** A bare repository at {@code bare} whose {@code main} holds one commit. */
  static Path createRemote(Path bare) throws IOException {
    Path seed = bare.resolveSibling("seed");
    try (Git repository = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
      Files.writeString(seed.resolve("README.md"), "# acme-crm\n\nThe application the silo serves.\n");
      repository.add().addFilepattern("README.md").call();
      repository.commit().setMessage("Initial commit").setAuthor("Acme", "dev@acme.example")
          .setCommitter("Acme", "dev@acme.example").setSign(false).call();
      Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
      repository.push().setRemote(bare.toUri().toString()).add("main").call();
      return bare;
    } catch (GitAPIException e) {
      throw new IOException("cannot create the demo's Git remote: " + e.getMessage(), e);
    }
  }

  static String randomKey() {
    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static void closeQuietly(Sandbox sandbox, Temporal server) {
    if (sandbox != null) {
      sandbox.close();
    }
    if (server != null) {
      for (AutoCloseable part : server.parts()) {
        try {
          part.close();
        } catch (Exception e) {
          // The demo is ending either way; the other parts still close.
        }
      }
    }
  }

  static void deleteRecursively(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the demo's outcome is already printed.
    }
  }
}
