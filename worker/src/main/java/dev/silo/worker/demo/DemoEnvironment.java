package dev.silo.worker.demo;

import dev.silo.activities.docker.AgentImage;
import dev.silo.activities.docker.DockerEngine;
import dev.silo.sandbox.Sandbox;
import dev.silo.starter.SiloCli;
import dev.silo.worker.DevServer;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.client.TemporalConnection;
import dev.silo.workflows.codec.PayloadKey;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Everything a silo deployment needs, on this machine: the embedded Temporal server, the SaaS
 * sandbox (Fly with a real PostgreSQL behind the pg app, Netlify, the desk), a bare Git remote with
 * a {@code main} commit, a copy of the example config, the real container engine when one answers,
 * and a worker with the real activity implementations pointed at all of it.
 */
public final class DemoEnvironment implements AutoCloseable {

  /** The example silo the demo deploys. */
  public static final String CLIENT = "acme";

  public static final String APP = "crm";

  private final Path workDirectory;
  private final Path configRoot;
  private final DevServer server;
  private final Sandbox sandbox;
  private final Optional<DockerEngine> engine;
  private final TemporalConnection connection;
  private final Map<String, String> cliEnvironment;
  private final Path remote;
  private final WorkerFactory workers;

  private DemoEnvironment(Path workDirectory, Path configRoot, DevServer server, Sandbox sandbox,
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
    DevServer server = null;
    Sandbox sandbox = null;
    try {
      server = DevServer.startOnFreePort("default");
      notice.accept("Temporal dev server (in memory) on " + server.localAddress());
      sandbox = Sandbox.start(latency);
      sandbox.desk().application(CLIENT, APP, "Acme CRM");
      notice.accept("sandbox: Fly " + sandbox.fly().url() + ", Netlify " + sandbox.netlify().url() + ", desk "
          + sandbox.desk().url());

      DockerEngine.Probe probe = DockerEngine.probe(environment);
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

      String key = randomKey();
      Map<String, String> workerEnvironment = new HashMap<>(environment);
      workerEnvironment.putAll(sandbox.workerEnvironment());
      workerEnvironment.put("TEMPORAL_ADDRESS", server.localAddress());
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
      cli.put("TEMPORAL_ADDRESS", server.localAddress());
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

  private static void closeQuietly(Sandbox sandbox, DevServer server) {
    if (sandbox != null) {
      sandbox.close();
    }
    if (server != null) {
      server.close();
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
