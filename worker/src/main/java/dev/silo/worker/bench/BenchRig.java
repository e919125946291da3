package dev.silo.worker.bench;

import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.PayloadKey;
import dev.silo.sandbox.Sandbox;
import dev.silo.starter.SiloCli;
import dev.silo.worker.DevServer;
import dev.silo.worker.RealDevServer;
import dev.silo.workflows.silo.SiloNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * What every case of a benchmark shares, set up as {@code silo demo} sets it up: the real Temporal
 * dev server when a {@code temporal} binary is found (headless, on a database file in the work
 * directory), else the embedded one; the sandbox; a local bare Git remote; one config root where
 * each benchmarked silo is a copy of the example under its own client name. Containers are
 * skipped. Workers are {@code silo worker} processes the cases start.
 */
final class BenchRig implements AutoCloseable {

  /** The example silo every benchmarked silo copies. */
  static final SiloNames EXAMPLE = new SiloNames("acme", "crm");

  private final Path work;
  private final AutoCloseable server;
  private final String serverDescription;
  private final Sandbox sandbox;
  private final Path configRoot;
  private final Path examples;
  private final Map<String, String> cliEnvironment;
  private final Map<String, String> workerEnvironment;
  private final TemporalConnection connection;

  private BenchRig(Path work, AutoCloseable server, String serverDescription, Sandbox sandbox, Path configRoot,
      Path examples, Map<String, String> cliEnvironment, Map<String, String> workerEnvironment,
      TemporalConnection connection) {
    this.work = work;
    this.server = server;
    this.serverDescription = serverDescription;
    this.sandbox = sandbox;
    this.configRoot = configRoot;
    this.examples = examples;
    this.cliEnvironment = cliEnvironment;
    this.workerEnvironment = workerEnvironment;
    this.connection = connection;
  }

  /**
   * Starts the server, the sandbox and the remote.
   *
   * @param repository the repository root, where {@code examples/} is
   * @param environment the process environment (PATH finds the {@code temporal} binary)
   */
  static BenchRig start(Path repository, Map<String, String> environment, Consumer<String> notice)
      throws IOException {
    // The JDK server under some emulators closes keep-alive connections idle for 30 s, which a
    // worker idle between two cases would meet as failed attempts; the benchmark is not about that.
    System.setProperty("sun.net.httpserver.idleInterval", "3600");
    Path work = Files.createTempDirectory("silo-bench-");
    AutoCloseable server = null;
    Sandbox sandbox = null;
    try {
      String address;
      String namespace;
      String description;
      Optional<Path> binary = RealDevServer.find(environment);
      if (binary.isPresent()) {
        RealDevServer real = RealDevServer.start(RealDevServer.Settings.loopback(binary.get(), freePort(), 0,
            work.resolve("temporal/bench.db"), null));
        server = real;
        address = real.address();
        namespace = real.namespace();
        description = "the real Temporal dev server " + real.version() + " (" + binary.get() + ")";
      } else {
        DevServer embedded = DevServer.startOnFreePort("default");
        server = embedded;
        address = embedded.localAddress();
        namespace = embedded.namespace();
        description = "the embedded Java test server (no 'temporal' binary found)";
      }
      notice.accept("Temporal: " + description + " on " + address);
      sandbox = Sandbox.start(Duration.ZERO);
      Path remote = createRemote(work.resolve("remote.git"));
      Path configRoot = Files.createDirectories(work.resolve("config/silos"));

      byte[] key = new byte[PayloadKey.KEY_BYTES];
      new SecureRandom().nextBytes(key);
      Map<String, String> cli = new HashMap<>();
      cli.put("TEMPORAL_ADDRESS", address);
      cli.put("TEMPORAL_NAMESPACE", namespace);
      cli.put("SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key));
      Map<String, String> worker = new HashMap<>(cli);
      worker.putAll(sandbox.workerEnvironment());
      worker.put("SILO_CONFIG_ROOT", configRoot.toString());
      worker.put("SILO_GIT_REMOTE", remote.toString());
      worker.put("SILO_STATE_DIR", work.resolve("state").toString());
      worker.put("SILO_METRICS_PORT", "off");
      worker.put("HOME", Files.createDirectories(work.resolve("home")).toString());
      worker.put("PATH", environment.getOrDefault("PATH", "/usr/bin:/bin"));
      // The worker tuning under measurement (SILO_WORKER_*, with the workers' JVM options in
      // SILO_WORKER_JAVA_OPTIONS, and SILO_NETLIFY_RATE_PER_MINUTE).
      environment.forEach((name, value) -> {
        if (name.startsWith("SILO_WORKER_") || name.equals("SILO_NETLIFY_RATE_PER_MINUTE")) {
          worker.put(name, value);
        }
      });
      for (String passed : new String[] {"PG_BIN", "SILO_CONTRACTS_DIR"}) {
        if (environment.containsKey(passed)) {
          worker.put(passed, environment.get(passed));
        }
      }
      TemporalConnection connection = TemporalConnection.open(cli, line -> { });
      return new BenchRig(work, server, description, sandbox, configRoot,
          repository.resolve("examples/config/silos").resolve(EXAMPLE.configDirectory()), Map.copyOf(cli),
          Map.copyOf(worker), connection);
    } catch (IOException | RuntimeException e) {
      if (sandbox != null) {
        sandbox.close();
      }
      closeQuietly(server);
      throw e;
    }
  }

  Path work() {
    return work;
  }

  String serverDescription() {
    return serverDescription;
  }

  Sandbox sandbox() {
    return sandbox;
  }

  TemporalConnection connection() {
    return connection;
  }

  /** The process of the real Temporal server, or none when the server runs in this process. */
  OptionalLong serverPid() {
    return server instanceof RealDevServer real ? OptionalLong.of(real.pid()) : OptionalLong.empty();
  }

  /**
   * The environment of the {@code index}-th worker: each its own Git cache, as workers on separate
   * machines have.
   */
  Map<String, String> workerEnvironment(String name) {
    Map<String, String> environment = new HashMap<>(workerEnvironment);
    environment.put("SILO_GIT_CACHE", work.resolve("git-cache-" + name).toString());
    return environment;
  }

  /** Copies the example under the names of {@code silo} and registers its application at the desk. */
  void addSilo(SiloNames silo) throws IOException {
    Path target = configRoot.resolve(silo.configDirectory());
    try (Stream<Path> files = Files.walk(examples)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(examples.relativize(file).toString().replace(EXAMPLE.siloId(), silo.siloId()));
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.writeString(copy, Files.readString(file).replace(EXAMPLE.siloId(), silo.siloId()));
        }
      }
    }
    sandbox.desk().application(silo.client(), silo.app(), silo.client() + " " + silo.app());
  }

  /** Runs one {@code silo} command in this JVM, as a user types it; what it printed when it failed. */
  Optional<String> cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = SiloCli.run(args, cliEnvironment, print, print);
    return code == 0 ? Optional.empty()
        : Optional.of("silo " + String.join(" ", args) + " exited " + code + ": " + out.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    connection.close();
    sandbox.close();
    closeQuietly(server);
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private static void closeQuietly(AutoCloseable server) {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (Exception e) {
      // The benchmark ends either way.
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path createRemote(Path bare) throws IOException {
    Path seed = bare.resolveSibling("seed");
    try (Git repository = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
      Files.writeString(seed.resolve("README.md"), "# acme-crm\n");
      repository.add().addFilepattern("README.md").call();
      repository.commit().setMessage("Initial commit").setAuthor("Bench", "bench@example.com")
          .setCommitter("Bench", "bench@example.com").setSign(false).call();
      Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
      repository.push().setRemote(bare.toUri().toString()).add("main").call();
      return bare;
    } catch (GitAPIException e) {
      throw new IOException("cannot create the Git remote: " + e.getMessage(), e);
    }
  }
}
