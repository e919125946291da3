package dev.silo.activities.health;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.health.EndpointCheckRequest;
import dev.silo.workflows.health.EndpointCheckResult;
import dev.silo.workflows.health.HealthActivities;
import dev.silo.workflows.health.MetricsQuery;
import dev.silo.workflows.health.MetricsSample;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link HealthActivities} over HTTP with OkHttp. */
public final class HealthActivitiesImpl implements HealthActivities {

  private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(HealthActivitiesImpl.class);

  /** Health checks see each status as it is: a redirect can be what is expected. */
  private final OkHttpClient probes;
  private final PrometheusClient prometheus;

  /** @param http the worker's client; its connection pool is shared */
  public HealthActivitiesImpl(OkHttpClient http) {
    this.probes = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
    this.prometheus = new PrometheusClient(http.newBuilder().callTimeout(METRICS_TIMEOUT).build());
  }

  @Override
  public EndpointCheckResult checkEndpoint(EndpointCheckRequest request) {
    HttpUrl url = HttpTarget.parse(request.url(), "The health-check URL");
    validate(request);
    String shown = HttpTarget.shown(url);
    OkHttpClient client = probes.newBuilder().callTimeout(request.timeout()).build();
    ActivityHeartbeat heartbeat = ActivityHeartbeat.current();
    long deadline = System.nanoTime() + request.retryWindow().toNanos();
    int attempts = 0;
    while (true) {
      attempts++;
      Probe probe = probe(client, url, request.timeout());
      if (probe.status() == request.expectedStatus()) {
        return new EndpointCheckResult(true, probe.status(), attempts,
            "GET " + shown + " answered " + probe.status() + " on attempt " + attempts);
      }
      if (System.nanoTime() + request.retryInterval().toNanos() > deadline) {
        String message = "GET " + shown + " " + probe.outcome() + ", expected " + request.expectedStatus()
            + ", after " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in "
            + request.retryWindow().toMillis() + " ms";
        log.info("Health check failed: {}", message);
        return new EndpointCheckResult(false, probe.status(), attempts, message);
      }
      pause(request.retryInterval(), heartbeat, attempts);
    }
  }

  @Override
  public MetricsSample readMetrics(MetricsQuery query) {
    HttpUrl base = HttpTarget.parse(query.prometheusUrl(), "The Prometheus URL");
    if (isBlank(query.errorRateQuery()) || isBlank(query.p99Query())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Both the error-rate and the p99 query are required", FailureType.INVALID_REQUEST.type());
    }
    Double errorRate = prometheus.query(base, query.errorRateQuery(), query.at());
    Double p99 = prometheus.query(base, query.p99Query(), query.at());
    return new MetricsSample(errorRate, p99);
  }

  /** One attempt: the status, or 0 and what went wrong. */
  private record Probe(int status, String outcome) {}

  private static Probe probe(OkHttpClient client, HttpUrl url, Duration timeout) {
    Request request = new Request.Builder().url(url).get().build();
    try (Response response = client.newCall(request).execute()) {
      return new Probe(response.code(), "answered " + response.code());
    } catch (InterruptedIOException e) {
      return new Probe(0, "timed out after " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return new Probe(0, "failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static void validate(EndpointCheckRequest request) {
    List<String> problems = new ArrayList<>();
    if (request.expectedStatus() < 100 || request.expectedStatus() > 599) {
      problems.add("the expected status must be 100 to 599, not " + request.expectedStatus());
    }
    if (!isPositive(request.timeout())) {
      problems.add("the timeout must be positive, not " + request.timeout());
    }
    if (request.retryWindow() == null || request.retryWindow().isNegative()) {
      problems.add("the retry window must be zero or positive, not " + request.retryWindow());
    }
    if (!isPositive(request.retryInterval())) {
      problems.add("the retry interval must be positive, not " + request.retryInterval());
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid health check: " + String.join("; ", problems), FailureType.INVALID_REQUEST.type());
    }
  }

  /** Waits between two attempts, heartbeating the number of attempts made. */
  private static void pause(Duration interval, ActivityHeartbeat heartbeat, int attempts) {
    try {
      heartbeat.pause(interval, attempts);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted between health-check attempts", e);
    }
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
