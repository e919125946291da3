package dev.silo.sandbox.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The release demo's Prometheus HTTP API over real HTTP, as the watch window reads it. */
class DemoPrometheusTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ERROR_RATE = "sum(rate(errors[1m]))";
  private static final String P99 = "histogram_quantile(0.99, latency)";

  private final HttpClient http = HttpClient.newHttpClient();
  private final Set<String> slow = ConcurrentHashMap.newKeySet();
  private final DemoPrometheus prometheus =
      DemoPrometheus.start(List.of("uat", "prod"), ERROR_RATE, P99, slow::contains);

  @AfterEach
  void stop() {
    prometheus.close();
  }

  @Test
  void givenTheTwoQueries_whenAsked_itShouldAnswerAnInstantVectorOfOneSeries() throws Exception {
    HttpResponse<String> errorRate = query("uat", ERROR_RATE, "1700000000.5");
    HttpResponse<String> p99 = query("uat", P99, null);

    assertThat(errorRate.statusCode()).isEqualTo(200);
    assertThat(errorRate.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode answer = JSON.readTree(errorRate.body());
    assertThat(answer.get("status").asText()).isEqualTo("success");
    assertThat(answer.at("/data/resultType").asText()).isEqualTo("vector");
    assertThat(answer.at("/data/result/0/value/0").decimalValue()).isEqualByComparingTo("1700000000.5");
    assertThat(answer.at("/data/result/0/value/1").asText()).isEqualTo(DemoPrometheus.ERROR_RATE_PERCENT);
    assertThat(JSON.readTree(p99.body()).at("/data/result/0/value/1").asText()).isEqualTo(DemoPrometheus.P99_MILLIS);
  }

  @Test
  void givenLatencyInjectedInOneEnvironment_whenP99IsAsked_itShouldRiseThereOnly() throws Exception {
    slow.add("prod");

    assertThat(JSON.readTree(query("prod", P99, null).body()).at("/data/result/0/value/1").asText())
        .isEqualTo(DemoPrometheus.INJECTED_P99_MILLIS);
    assertThat(JSON.readTree(query("uat", P99, null).body()).at("/data/result/0/value/1").asText())
        .isEqualTo(DemoPrometheus.P99_MILLIS);
  }

  @Test
  void givenAnotherQueryOrABadTime_itShouldAnswer400BadDataAsPrometheusDoes() throws Exception {
    HttpResponse<String> other = query("prod", "up", null);
    HttpResponse<String> badTime = query("prod", ERROR_RATE, "yesterday");

    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(other.body()).get("errorType").asText()).isEqualTo("bad_data");
    assertThat(JSON.readTree(other.body()).get("error").asText())
        .isEqualTo("the demo's metrics API knows only the watch window's default queries, not up");
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badTime.body()).get("error").asText()).isEqualTo("time is not a Unix timestamp");
  }

  @Test
  void givenAnEnvironment_itsUrlShouldBeOnLoopbackUnderItsName() {
    assertThat(prometheus.url("prod")).startsWith("http://127.0.0.1:").endsWith("/prod");
  }

  private HttpResponse<String> query(String environment, String query, String time) throws Exception {
    String uri = prometheus.url(environment) + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + (time == null ? "" : "&time=" + time);
    return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), BodyHandlers.ofString());
  }
}
