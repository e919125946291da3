package dev.silo.activities.health;

import dev.silo.activities.http.RetryAfter;
import static dev.silo.activities.health.LocalHttpServer.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.health.MetricsQuery;
import dev.silo.workflows.health.MetricsSample;
import io.temporal.failure.ApplicationFailure;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ReadMetricsTest {

  private static final String ERROR_RATE =
      "100 * sum(rate(http_requests_total{code=~\"5..\"}[1m])) / sum(rate(http_requests_total[1m]))";
  private static final String P99 =
      "1000 * histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))";
  private static final Instant AT = Instant.parse("2025-03-01T12:00:30.250Z");

  private final HealthActivitiesImpl activities = new HealthActivitiesImpl(new OkHttpClient());

  @Test
  void givenVectorAnswers_whenReadingMetrics_itShouldParseTheValuesAtTheGivenTime() throws Exception {
    try (LocalHttpServer prometheus = new LocalHttpServer("/api/v1/query", (exchange, number) -> {
      String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
      respond(exchange, 200, query.contains("histogram_quantile")
          ? vector("{\"metric\":{},\"value\":[1740830430.25,\"342.5\"]}")
          : vector("{\"metric\":{\"service\":\"api\"},\"value\":[1740830430.25,\"0.8\"]},"
              + "{\"metric\":{\"service\":\"web\"},\"value\":[1740830430.25,\"2.25\"]}"));
    })) {

      MetricsSample sample = activities.readMetrics(new MetricsQuery(prometheus.url(""), ERROR_RATE, P99, AT));

      assertThat(sample).isEqualTo(new MetricsSample(2.25, 342.5));
      assertThat(prometheus.queries).extracting(query -> URLDecoder.decode(query, StandardCharsets.UTF_8))
          .containsExactly("query=" + ERROR_RATE + "&time=1740830430.250", "query=" + P99 + "&time=1740830430.250");
    }
  }

  @Test
  void givenNoSeriesAndNaN_whenReadingMetrics_itShouldReportNoSample() throws Exception {
    try (LocalHttpServer prometheus = new LocalHttpServer("/prom/api/v1/query", (exchange, number) ->
        respond(exchange, 200, number == 1 ? vector("") : vector("{\"metric\":{},\"value\":[1740830430,\"NaN\"]}")))) {

      MetricsSample sample = activities.readMetrics(new MetricsQuery(prometheus.url("/prom/"), ERROR_RATE, P99, AT));

      assertThat(sample).isEqualTo(new MetricsSample(null, null));
    }
  }

  @Test
  void givenScalarAndInfiniteAnswers_whenReadingMetrics_itShouldReadThemAsBreachingValues() throws Exception {
    try (LocalHttpServer prometheus = new LocalHttpServer("/api/v1/query", (exchange, number) -> respond(exchange,
        200, number == 1
            ? "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1740830430,\"12\"]}}"
            : vector("{\"metric\":{},\"value\":[1740830430,\"+Inf\"]}")))) {

      MetricsSample sample = activities.readMetrics(new MetricsQuery(prometheus.url("/"), ERROR_RATE, P99, null));

      assertThat(sample).isEqualTo(new MetricsSample(12.0, Double.MAX_VALUE));
      assertThat(prometheus.queries.get(0)).doesNotContain("time=");
    }
  }

  @Test
  void givenABadQuery_whenReadingMetrics_itShouldFailAsRejectedWithPrometheusError() throws Exception {
    try (LocalHttpServer prometheus = new LocalHttpServer("/api/v1/query", (exchange, number) -> respond(exchange,
        400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:6: parse error: unexpected <by>\"}"))) {

      ApplicationFailure failure = catchThrowableOfType(() -> activities.readMetrics(
          new MetricsQuery(prometheus.url(""), "sum by", P99, AT)), ApplicationFailure.class);

      assertThat(failure.getType()).isEqualTo("VENDOR_REJECTED");
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("HTTP 400", "bad_data: 1:6: parse error: unexpected <by>");
    }
  }

  @Test
  void givenAnOverloadedServer_whenReadingMetrics_itShouldRetryAfterItsRetryAfter() throws Exception {
    try (LocalHttpServer prometheus = new LocalHttpServer("/api/v1/query", (exchange, number) -> {
      exchange.getResponseHeaders().set("Retry-After", "7");
      respond(exchange, 503, "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}");
    })) {

      ApplicationFailure failure = catchThrowableOfType(() -> activities.readMetrics(
          new MetricsQuery(prometheus.url(""), ERROR_RATE, P99, AT)), ApplicationFailure.class);

      assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void givenAMatrixAnswer_whenReadingMetrics_itShouldFailAsAnInvalidQuery() throws Exception {
    try (LocalHttpServer prometheus = new LocalHttpServer("/api/v1/query", (exchange, number) -> respond(exchange,
        200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))) {

      ApplicationFailure failure = catchThrowableOfType(() -> activities.readMetrics(
          new MetricsQuery(prometheus.url(""), "http_requests_total[5m]", P99, AT)), ApplicationFailure.class);

      assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("matrix");
    }
  }

  @Test
  void givenNothingListening_whenReadingMetrics_itShouldFailAsRetryableWithoutCredentials() throws Exception {
    String url;
    try (LocalHttpServer closed = new LocalHttpServer("/", (exchange, number) -> respond(exchange, 200, ""))) {
      url = closed.url("").replace("http://", "http://reader:pa55word@");
    }

    ApplicationFailure failure = catchThrowableOfType(() -> activities.readMetrics(
        new MetricsQuery(url, ERROR_RATE, P99, AT)), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("could not be reached").doesNotContain("pa55word");
  }

  @Test
  void givenRetryAfterAsAnHttpDate_whenReadingIt_itShouldWaitUntilThatDate() {
    Instant now = Instant.parse("2025-03-01T12:00:00Z");

    assertThat(RetryAfter.delay("Sat, 01 Mar 2025 12:00:20 GMT", now)).isEqualTo(Duration.ofSeconds(20));
    assertThat(RetryAfter.delay("soon", now)).isNull();
  }

  private static String vector(String series) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}";
  }
}
