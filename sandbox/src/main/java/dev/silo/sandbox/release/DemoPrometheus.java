package dev.silo.sandbox.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Prometheus-compatible metrics API for the release demo: {@code GET
 * /<environment>/api/v1/query} answers the watch window's two queries (an error rate and a p99
 * latency, given at start) with an instant vector of one series, as Prometheus's HTTP API does. The error rate is {@value #ERROR_RATE_PERCENT}
 * percent and the p99 {@value #P99_MILLIS} ms, except where latency is injected: there the p99 is
 * {@value #INJECTED_P99_MILLIS} ms. Any other query is refused as Prometheus refuses a bad one.
 */
public final class DemoPrometheus implements AutoCloseable {

  public static final String ERROR_RATE_PERCENT = "0.2";
  public static final String P99_MILLIS = "180";
  public static final String INJECTED_P99_MILLIS = "6200";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String errorRateQuery;
  private final String p99Query;
  private final Predicate<String> latencyInjected;

  private DemoPrometheus(HttpServer server, String errorRateQuery, String p99Query,
      Predicate<String> latencyInjected) {
    this.server = server;
    this.errorRateQuery = errorRateQuery;
    this.p99Query = p99Query;
    this.latencyInjected = latencyInjected;
  }

  /**
   * Starts the server.
   *
   * @param environments the environments served, each under its own path
   * @param errorRateQuery the PromQL query answered with the error rate, in percent
   * @param p99Query the PromQL query answered with the p99 latency, in milliseconds
   * @param latencyInjected whether an environment's p99 is high at the moment of a query
   */
  public static DemoPrometheus start(List<String> environments, String errorRateQuery, String p99Query,
      Predicate<String> latencyInjected) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      DemoPrometheus prometheus = new DemoPrometheus(server, errorRateQuery, p99Query, latencyInjected);
      for (String environment : environments) {
        server.createContext("/" + environment + "/api/v1/query", exchange -> prometheus.answer(environment, exchange));
      }
      server.start();
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException("the demo's metrics API could not start", e);
    }
  }

  /** The base URL an environment file names as {@code metrics_url}. */
  public String url(String environment) {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/" + environment;
  }

  private void answer(String environment, HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
      String query = parameters.get("query");
      String value;
      if (errorRateQuery.equals(query)) {
        value = ERROR_RATE_PERCENT;
      } else if (p99Query.equals(query)) {
        value = latencyInjected.test(environment) ? INJECTED_P99_MILLIS : P99_MILLIS;
      } else {
        send(exchange, 400, badData("the demo's metrics API knows only the watch window's default queries, not "
            + query));
        return;
      }
      BigDecimal time;
      try {
        time = parameters.containsKey("time") ? new BigDecimal(parameters.get("time"))
            : BigDecimal.valueOf(Instant.now().toEpochMilli(), 3);
      } catch (NumberFormatException e) {
        send(exchange, 400, badData("time is not a Unix timestamp"));
        return;
      }
      ObjectNode answer = JSON.createObjectNode().put("status", "success");
      ObjectNode data = answer.putObject("data").put("resultType", "vector");
      ObjectNode series = data.putArray("result").addObject();
      series.putObject("metric");
      series.putArray("value").add(time).add(value);
      send(exchange, 200, answer);
    }
  }

  private static ObjectNode badData(String error) {
    return JSON.createObjectNode().put("status", "error").put("errorType", "bad_data").put("error", error);
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> parameters = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return parameters;
  }

  private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
