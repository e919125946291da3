package dev.silo.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@code GET /metrics}: the worker's {@link WorkerMetrics} for Prometheus to scrape. */
public final class MetricsEndpoint implements AutoCloseable {

  /** The port to listen on, or {@code off}. */
  public static final String PORT_VARIABLE = "SILO_METRICS_PORT";

  /** The address to listen on. */
  public static final String BIND_VARIABLE = "SILO_METRICS_BIND";

  /** The port used when {@value #PORT_VARIABLE} is unset: the OpenTelemetry Prometheus exporter's. */
  public static final int DEFAULT_PORT = 9464;

  /** The address used when {@value #BIND_VARIABLE} is unset: this machine only. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** The value of {@value #PORT_VARIABLE} that turns the endpoint off. */
  public static final String OFF = "off";

  /** The path served. */
  public static final String PATH = "/metrics";

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Where the endpoint listens.
   *
   * @param bind the address
   * @param port the port, 0 for any free one
   */
  public record Settings(String bind, int port) {

    /** Requires an address and a port number. */
    public Settings {
      Objects.requireNonNull(bind, "bind");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(PORT_VARIABLE + " must be a port number or " + OFF + ", not " + port);
      }
    }

    /**
     * The settings from {@code env}, or empty when {@value #PORT_VARIABLE} is {@value #OFF}.
     *
     * @throws IllegalArgumentException with a one-line message when the port is not a number
     */
    public static Optional<Settings> fromEnvironment(Map<String, String> env) {
      String port = env.get(PORT_VARIABLE);
      String bind = env.get(BIND_VARIABLE);
      bind = bind == null || bind.isBlank() ? DEFAULT_BIND : bind.strip();
      if (port == null || port.isBlank()) {
        return Optional.of(new Settings(bind, DEFAULT_PORT));
      }
      if (OFF.equalsIgnoreCase(port.strip())) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Settings(bind, Integer.parseInt(port.strip())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PORT_VARIABLE + " must be a port number or " + OFF + ", not "
            + port.strip());
      }
    }
  }

  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens at once, answering on the server's own thread: a scrape is quick and Prometheus sends
   * one at a time.
   *
   * @throws IllegalArgumentException when {@value #BIND_VARIABLE} names no address
   * @throws UncheckedIOException when the port is taken or cannot be bound
   */
  public static MetricsEndpoint start(Settings settings, WorkerMetrics metrics) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(metrics, "metrics");
    InetAddress address;
    try {
      address = InetAddress.getByName(settings.bind());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(BIND_VARIABLE + " names no address of this machine: " + settings.bind(), e);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, settings.port()), 0);
    } catch (BindException e) {
      throw new UncheckedIOException("the metrics endpoint cannot listen on " + settings.bind() + ":"
          + settings.port() + " (" + e.getMessage() + "): stop what holds it or set " + PORT_VARIABLE + " or "
          + BIND_VARIABLE, e);
    } catch (IOException e) {
      throw new UncheckedIOException("the metrics endpoint cannot listen on " + settings.bind() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
    server.createContext("/", exchange -> serve(exchange, metrics));
    server.start();
    return new MetricsEndpoint(server);
  }

  /** The scrape address, such as {@code http://127.0.0.1:9464/metrics}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    try {
      return new URI("http", null, address.getHostString(), address.getPort(), PATH, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the bound address makes no URI: " + address, e);
    }
  }

  /** The line the worker prints at start. */
  public String describe() {
    return "metrics: Prometheus endpoint at " + uri();
  }

  /** The line the worker prints when the endpoint is off. */
  public static String notStarted() {
    return "metrics: " + PORT_VARIABLE + "=" + OFF + ", so no metrics endpoint is started";
  }

  /** Stops listening. */
  @Override
  public void close() {
    server.stop(0);
  }

  private static void serve(HttpExchange exchange, WorkerMetrics metrics) throws IOException {
    try {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "only " + PATH + " is served here\n");
      } else if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "only GET is allowed\n");
      } else {
        exchange.getResponseHeaders().set("Content-Type", TEXT_FORMAT);
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
