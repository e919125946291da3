package dev.silo.worker.metrics;

import dev.silo.http.Handlers;
import dev.silo.http.JettyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

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

  private final JettyServer server;

  private MetricsEndpoint(JettyServer server) {
    this.server = server;
  }

  /**
   * Listens at once. {@value #PATH} answers GET only; any other path is not found.
   *
   * @throws IllegalArgumentException when {@value #BIND_VARIABLE} names no address
   * @throws UncheckedIOException when the port is taken or cannot be bound
   */
  public static MetricsEndpoint start(Settings settings, WorkerMetrics metrics) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(metrics, "metrics");
    try {
      InetAddress.getByName(settings.bind());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(BIND_VARIABLE + " names no address of this machine: " + settings.bind(), e);
    }
    PathMappingsHandler routes = new PathMappingsHandler();
    routes.addMapping(PathSpec.from(PATH), Handlers.blocking((request, response, callback) -> {
      if (!"GET".equals(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET");
        send(response, callback, 405, "only GET is allowed\n");
      } else {
        Handlers.send(response, callback, 200, TEXT_FORMAT, metrics.scrape());
      }
    }));
    routes.addMapping(PathSpec.from("/"),
        Handlers.blocking((request, response, callback) -> send(response, callback, 404,
            "only " + PATH + " is served here\n")));
    try {
      return new MetricsEndpoint(JettyServer.start(settings.bind(), settings.port(), "silo-metrics", routes));
    } catch (BindException e) {
      throw new UncheckedIOException("the metrics endpoint cannot listen on " + settings.bind() + ":"
          + settings.port() + " (" + e.getMessage() + "): stop what holds it or set " + PORT_VARIABLE + " or "
          + BIND_VARIABLE, e);
    } catch (IOException e) {
      throw new UncheckedIOException("the metrics endpoint cannot listen on " + settings.bind() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /** The scrape address, such as {@code http://127.0.0.1:9464/metrics}. */
  public URI uri() {
    try {
      return new URI("http", null, server.host(), server.port(), PATH, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the bound address makes no URI: " + server.host() + ":" + server.port(), e);
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
    server.close();
  }

  private static void send(Response response, Callback callback, int status, String text) {
    Handlers.send(response, callback, status, "text/plain; charset=utf-8", text);
  }
}
