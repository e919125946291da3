package dev.silo.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint over real HTTP, and how the environment configures it. */
class MetricsEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final WorkerMetrics metrics = WorkerMetrics.create(Duration.ofMillis(50));
  private final MetricsEndpoint endpoint =
      MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", 0), metrics);

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  @Test
  void givenACounterOnTheScope_whenScraped_itShouldAppearInThePrometheusTextFormat() throws Exception {
    metrics.scope().tagged(Map.of("system", "fly", "status", "ok")).counter("silo_external_calls").inc(3);

    HttpResponse<String> response = scrapeUntil("silo_external_calls_total");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("silo_external_calls_total{status=\"ok\",system=\"fly\"} 3.0");
    assertThat(endpoint.uri().getPath()).isEqualTo("/metrics");
  }

  @Test
  void givenAnotherPathOrMethod_itShouldAnswer404Or405() throws Exception {
    URI other = endpoint.uri().resolve("/other");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(endpoint.uri())
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(http.send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void givenThePortInUse_whenStarting_itShouldSayWhichVariablesToChange() {
    MetricsEndpoint.Settings taken = new MetricsEndpoint.Settings("127.0.0.1", endpoint.uri().getPort());

    assertThatThrownBy(() -> MetricsEndpoint.start(taken, metrics))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("the metrics endpoint cannot listen on 127.0.0.1:" + taken.port())
        .hasMessageEndingWith("set SILO_METRICS_PORT or SILO_METRICS_BIND");
  }

  @Test
  void givenTheEnvironment_whenRead_itShouldDefaultTo9464OnLoopbackAndTurnOffOnlyWhenAsked() {
    assertThat(MetricsEndpoint.Settings.fromEnvironment(Map.of()))
        .hasValue(new MetricsEndpoint.Settings("127.0.0.1", 9464));
    assertThat(MetricsEndpoint.Settings.fromEnvironment(Map.of("SILO_METRICS_PORT", "off"))).isEmpty();
    assertThat(MetricsEndpoint.Settings.fromEnvironment(Map.of("SILO_METRICS_PORT", "19464",
        "SILO_METRICS_BIND", "0.0.0.0"))).hasValue(new MetricsEndpoint.Settings("0.0.0.0", 19464));
    assertThatThrownBy(() -> MetricsEndpoint.Settings.fromEnvironment(Map.of("SILO_METRICS_PORT", "no")))
        .hasMessage("SILO_METRICS_PORT must be a port number or off, not no");
    assertThat(MetricsEndpoint.notStarted()).isEqualTo("metrics: SILO_METRICS_PORT=off, so no metrics endpoint is started");
  }

  private HttpResponse<String> scrapeUntil(String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.uri()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.body().contains(text) || System.nanoTime() > deadline) {
        return response;
      }
      Thread.sleep(50);
    }
  }
}
