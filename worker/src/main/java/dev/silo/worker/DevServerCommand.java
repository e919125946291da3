package dev.silo.worker;

import io.temporal.common.SearchAttributeKey;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code silo dev-server}: runs the real Temporal server ({@link RealDevServer}) when a {@code
 * temporal} binary is found, else the embedded {@link DevServer}, until the process is stopped.
 */
@Command(
    name = "dev-server",
    description = {
      "Runs a Temporal dev server with the Silo search attributes, until Ctrl-C.",
      "With a 'temporal' binary (PATH, or " + RealDevServer.BINARY_VARIABLE + "): the real server"
          + " (temporal server start-dev), its runs",
      "kept in --db-filename, its Web UI on --ui-port decoding payloads through --codec-endpoint. Without one,"
          + " or with",
      "--embedded: Temporal's in-memory Java test server, nothing persisted, no Web UI. Neither has"
          + " authentication,",
      "so both listen on 127.0.0.1 unless --bind says otherwise."
    })
final class DevServerCommand implements Callable<Integer> {

  /** The worker's codec endpoint at its default address, which the Web UI decodes payloads through. */
  static final String DEFAULT_CODEC_ENDPOINT = "http://127.0.0.1:8081";

  private final Map<String, String> env;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  private boolean help;

  @Option(
      names = "--port",
      defaultValue = "7233",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDR",
      description = "Address to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 is every interface. Any address"
          + " but a loopback one lets other machines use the server, which has no authentication.")
  private String bind;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description = "Namespace to register the search attributes in (default: ${DEFAULT-VALUE}).")
  private String namespace;

  @Option(
      names = "--ui-port",
      defaultValue = "" + RealDevServer.DEFAULT_UI_PORT,
      description = "Real server: the Web UI's port (default: ${DEFAULT-VALUE}).")
  private int uiPort;

  @Option(
      names = "--db-filename",
      paramLabel = "FILE",
      description = "Real server: the SQLite file that keeps every run across restarts (default:"
          + " temporal/dev-server.db under SILO_STATE_DIR, else ~/.silo/state).")
  private Path databaseFile;

  @Option(
      names = "--codec-endpoint",
      paramLabel = "URL",
      defaultValue = DEFAULT_CODEC_ENDPOINT,
      description = "Real server: the worker's codec endpoint, which the Web UI decodes payloads through"
          + " (default: ${DEFAULT-VALUE}, the worker's with SILO_CODEC_TOKEN set).")
  private String codecEndpoint;

  @Option(
      names = "--embedded",
      description = "Run the in-memory Java test server even when a 'temporal' binary is found.")
  private boolean embedded;

  DevServerCommand(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  @Override
  public Integer call() throws InterruptedException {
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535");
    }
    if (uiPort < 1 || uiPort > 65535 || uiPort == port) {
      throw new ParameterException(spec.commandLine(), "--ui-port must be between 1 and 65535 and differ from --port");
    }
    InetAddress bindAddress = bindAddress();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Path> binary = embedded ? Optional.empty() : RealDevServer.find(env);
    if (binary.isPresent()) {
      return runReal(binary.get(), bindAddress, out, err);
    }
    DevServer server;
    try {
      server = DevServer.start(bindAddress, port, namespace);
    } catch (PortInUseException | UncheckedIOException e) {
      err.println(e.getMessage());
      err.flush();
      return WorkerMain.EXIT_CONFIGURATION;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "silo-dev-server-shutdown"));
    if (!embedded) {
      err.println(fallbackNotice());
      err.flush();
    }

    Optional<String> warning = exposureWarning(bindAddress, port);
    if (warning.isPresent()) {
      err.println(warning.get());
      err.flush();
    }
    out.println(
        "Embedded Temporal server (Temporal's Java test server) listening on "
            + where(bindAddress)
            + " port "
            + port
            + "; clients on this machine use "
            + server.localAddress()
            + " (namespace "
            + namespace
            + ").");
    out.println("Data: in memory only, every workflow and its history is lost when it stops; no Web UI.");
    out.println(
        "Search attributes (Keyword): "
            + DevServer.SEARCH_ATTRIBUTES.stream()
                .map(SearchAttributeKey::getName)
                .collect(Collectors.joining(", "))
            + ".");
    out.println("Press Ctrl-C to stop.");
    out.flush();

    // The shutdown hook closes the server on Ctrl-C; until then this thread only keeps the
    // process alive.
    Thread.currentThread().join();
    return 0;
  }

  /** Runs the real server until Ctrl-C, or until it stops by itself (exit 3). */
  private int runReal(Path binary, InetAddress bindAddress, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    Path database = databaseFile != null ? databaseFile : RealDevServer.defaultDatabaseFile(env);
    RealDevServer server;
    try {
      server = RealDevServer.start(new RealDevServer.Settings(binary, bindAddress, port, uiPort, database,
          codecEndpoint, namespace));
    } catch (RealDevServer.StartException e) {
      err.println(e.getMessage());
      err.flush();
      return e.exitCode();
    }
    server.notice().ifPresent(notice -> {
      err.println(notice);
      err.flush();
    });
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      server.stop();
    }, "silo-dev-server-shutdown"));
    exposureWarning(bindAddress, port).ifPresent(warning -> {
      err.println(warning);
      err.flush();
    });
    String ui = server.uiAddress().orElseThrow();
    out.println("Temporal server " + server.version() + " (" + binary + " server start-dev) listening on "
        + where(bindAddress) + " port " + port + "; clients on this machine use " + server.address()
        + " (namespace " + namespace + ").");
    out.println("Web UI: " + ui + " ; it decodes payloads through the codec endpoint " + codecEndpoint
        + ": start the worker with SILO_CODEC_TOKEN set and SILO_UI_ORIGIN=" + ui + ", then open "
        + codecEndpoint + "/auth?token=<SILO_CODEC_TOKEN> once in that browser and turn on \"Include cross-origin"
        + " credentials\" in the UI's Codec Server settings (start-dev has no flag for that switch).");
    out.println("Data: " + server.databaseFile() + " (runs survive a restart; server log: " + server.logFile() + ").");
    out.println(
        "Search attributes (Keyword): "
            + DevServer.SEARCH_ATTRIBUTES.stream()
                .map(SearchAttributeKey::getName)
                .collect(Collectors.joining(", "))
            + ".");
    out.println("Press Ctrl-C to stop.");
    out.flush();

    int exit;
    try {
      exit = server.awaitExit();
    } catch (InterruptedException e) {
      server.stop();
      throw e;
    }
    if (stopping.get()) {
      return 0;
    }
    err.println("the Temporal server stopped with exit code " + exit + ": " + server.lastLogLine()
        + " (log: " + server.logFile() + ")");
    err.flush();
    return WorkerMain.EXIT_UNREACHABLE;
  }

  /** The one line that says the real server is missing and how to get it. */
  static String fallbackNotice() {
    return "no 'temporal' binary on the PATH (nor " + RealDevServer.BINARY_VARIABLE + "): running the embedded Java"
        + " test server, in memory and without Web UI; for the real server, " + RealDevServer.HOW_TO_GET_IT;
  }

  /** The one-line warning for a server other machines may reach; empty on a loopback address. */
  static Optional<String> exposureWarning(InetAddress bindAddress, int port) {
    if (bindAddress.isLoopbackAddress()) {
      return Optional.empty();
    }
    return Optional.of("warning: the dev server has no authentication and listens on " + where(bindAddress)
        + ": anyone who can reach this machine on port " + port + " can start and read workflows.");
  }

  /** The {@code --bind} address; a name is resolved once, here. */
  private InetAddress bindAddress() {
    try {
      return InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(),
          "--bind '" + bind + "' is neither an IP address nor a name this machine resolves");
    }
  }

  private static String where(InetAddress address) {
    return address.isAnyLocalAddress() ? "every network interface" : address.getHostAddress();
  }
}
