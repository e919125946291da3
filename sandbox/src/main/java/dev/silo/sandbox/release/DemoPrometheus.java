package dev.silo.sandbox.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.http.Handlers;
import dev.silo.http.JettyServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A Prometheus-compatible metrics API for the release demo: {@code GET
 * /<environment>/api/v1/query} answers the watch window's two queries (an error rate and a p99
 * latency, given at start) with an instant vector of one series, as Prometheus's HTTP API does.
 * The error rate is {@value #ERROR_RATE_PERCENT} percent and the p99 {@value #P99_MILLIS} ms,
 * except where latency is injected: there the p99 is {@value #INJECTED_P99_MILLIS} ms. Any other
 * query is refused as Prometheus refuses a bad one.
 */
public final class DemoPrometheus implements AutoCloseable {

  public static final String ERROR_RATE_PERCENT = "0.2";
  public static final String P99_MILLIS = "180";
  public static final String INJECTED_P99_MILLIS = "6200";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String errorRateQuery;
  private final String p99Query;
  private final Predicate<String> latencyInjected;
  private final JettyServer server;

  private DemoPrometheus(List<String> environments, String errorRateQuery, String p99Query,
      Predicate<String> latencyInjected) {
    this.errorRateQuery = errorRateQuery;
    this.p99Query = p99Query;
    this.latencyInjected = latencyInjected;
    PathMappingsHandler routes = new PathMappingsHandler();
    for (String environment : environments) {
      routes.addMapping(PathSpec.from("/" + environment + "/api/v1/query/*"),
          Handlers.blocking((request, response, callback) -> answer(environment, request, response, callback)));
    }
    this.server = JettyServer.loopback("the demo's metrics API", routes);
  }

  /**
   * Starts the server on a free loopback port.
   *
   * @param environments the environments served, each under its own path
   * @param errorRateQuery the PromQL query answered with the error rate, in percent
   * @param p99Query the PromQL query answered with the p99 latency, in milliseconds
   * @param latencyInjected whether an environment's p99 is high at the moment of a query
   */
  public static DemoPrometheus start(List<String> environments, String errorRateQuery, String p99Query,
      Predicate<String> latencyInjected) {
    return new DemoPrometheus(environments, errorRateQuery, p99Query, latencyInjected);
  }

  /** The base URL an environment file names as {@code metrics_url}. */
  public String url(String environment) {
    return server.url() + "/" + environment;
  }

  private void answer(String environment, Request request, Response response, Callback callback) throws IOException {
    Fields parameters = Request.extractQueryParameters(request);
    String query = parameters.getValue("query");
    String value;
    if (errorRateQuery.equals(query)) {
      value = ERROR_RATE_PERCENT;
    } else if (p99Query.equals(query)) {
      value = latencyInjected.test(environment) ? INJECTED_P99_MILLIS : P99_MILLIS;
    } else {
      send(response, callback, 400, badData("the demo's metrics API knows only the watch window's default queries,"
          + " not " + query));
      return;
    }
    BigDecimal time;
    try {
      String given = parameters.getValue("time");
      time = given != null ? new BigDecimal(given) : BigDecimal.valueOf(Instant.now().toEpochMilli(), 3);
    } catch (NumberFormatException e) {
      send(response, callback, 400, badData("time is not a Unix timestamp"));
      return;
    }
    ObjectNode answer = JSON.createObjectNode().put("status", "success");
    ObjectNode data = answer.putObject("data").put("resultType", "vector");
    ObjectNode series = data.putArray("result").addObject();
    series.putObject("metric");
    series.putArray("value").add(time).add(value);
    send(response, callback, 200, answer);
  }

  private static ObjectNode badData(String error) {
    return JSON.createObjectNode().put("status", "error").put("errorType", "bad_data").put("error", error);
  }

  private static void send(Response response, Callback callback, int status, ObjectNode body) throws IOException {
    Handlers.send(response, callback, status, "application/json", JSON.writeValueAsBytes(body));
  }

  @Override
  public void close() {
    server.close();
  }
}
