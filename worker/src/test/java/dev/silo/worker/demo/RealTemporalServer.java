package dev.silo.worker.demo;

import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.common.SearchAttributeKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.TimeUnit;

/**
 * The real Temporal server for a test: {@code temporal server start-dev} on loopback, on free ports,
 * with its SQLite file in the test's work directory, our search attributes registered and the UI
 * pointed at a codec endpoint on a port chosen here. Its output goes to {@code
 * target/temporal-server.log}. Kept small on purpose: the CLI's own launcher is the dev-server
 * command's business.
 */
final class RealTemporalServer implements AutoCloseable {

  private static final Duration START_BOUND = Duration.ofSeconds(60);

  private final Process process;
  private final int grpcPort;
  private final int uiPort;
  private final int codecPort;
  private final String version;

  private RealTemporalServer(Process process, int grpcPort, int uiPort, int codecPort, String version) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.uiPort = uiPort;
    this.codecPort = codecPort;
    this.version = version;
  }

  /** Starts the server and returns once its gRPC port and its Web UI answer, or fails within a bound. */
  static RealTemporalServer start(Path temporal, Path work, Path logDirectory) throws Exception {
    String version = version(temporal);
    int grpcPort = freePort();
    int uiPort = freePort();
    int codecPort = freePort();
    List<String> command = new ArrayList<>(List.of(temporal.toString(), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", Integer.toString(grpcPort), "--ui-port", Integer.toString(uiPort),
        "--db-filename", work.resolve("temporal.db").toString(), "--log-level", "warn",
        "--ui-codec-endpoint", "http://127.0.0.1:" + codecPort, "--ui-disable-news-fetch"));
    for (SearchAttributeKey<String> key : SiloSearchAttributes.ALL) {
      command.add("--search-attribute");
      command.add(key.getName() + "=Keyword");
    }
    Files.createDirectories(logDirectory);
    Path log = logDirectory.resolve("temporal-server.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RealTemporalServer server = new RealTemporalServer(process, grpcPort, uiPort, codecPort, version);
    try {
      server.awaitReady(log);
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady(Path log) throws Exception {
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("temporal server start-dev exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      if (answers(grpcPort) && uiAnswers(http)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("temporal server start-dev did not answer within " + START_BOUND.toSeconds()
            + " s:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  private boolean uiAnswers(HttpClient http) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(uiUrl() + "/api/v1/settings"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What {@code temporal --version} says, e.g. {@code temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)}. */
  private static String version(Path temporal) throws Exception {
    Process process = new ProcessBuilder(temporal.toString(), "--version").redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(temporal + " --version did not answer within 30 s");
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "127.0.0.1:" + grpcPort;
  }

  String uiUrl() {
    return "http://127.0.0.1:" + uiPort;
  }

  int codecPort() {
    return codecPort;
  }

  String version() {
    return version;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
