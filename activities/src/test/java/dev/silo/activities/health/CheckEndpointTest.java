package dev.silo.activities.health;

import static dev.silo.activities.health.LocalHttpServer.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.health.EndpointCheckRequest;
import dev.silo.workflows.health.EndpointCheckResult;
import dev.silo.workflows.health.HealthActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class CheckEndpointTest {

  private final HealthActivitiesImpl activities = new HealthActivitiesImpl(new OkHttpClient());

  @Test
  void givenTwo503sThenA200WithinTheWindow_whenChecking_itShouldPassOnTheThirdAttempt() throws Exception {
    try (LocalHttpServer server = new LocalHttpServer("/health",
        (exchange, number) -> respond(exchange, number <= 2 ? 503 : 200, "{\"ok\":" + (number > 2) + "}"))) {

      EndpointCheckResult result = activities.checkEndpoint(new EndpointCheckRequest(
          server.url("/health"), 200, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(100)));

      assertThat(result.passed()).isTrue();
      assertThat(result.lastStatus()).isEqualTo(200);
      assertThat(result.attempts()).isEqualTo(3);
      assertThat(server.requests()).isEqualTo(3);
    }
  }

  @Test
  void givenAWrongStatusThroughoutTheWindow_whenChecking_itShouldFailCountingEveryAttempt() throws Exception {
    try (LocalHttpServer server = new LocalHttpServer("/health", (exchange, number) -> respond(exchange, 404, ""))) {

      EndpointCheckResult result = activities.checkEndpoint(new EndpointCheckRequest(
          server.url("/health?token=hidden"), 200, Duration.ofSeconds(2), Duration.ofMillis(700),
          Duration.ofMillis(100)));

      assertThat(result.passed()).isFalse();
      assertThat(result.lastStatus()).isEqualTo(404);
      assertThat(result.attempts()).isEqualTo(server.requests()).isGreaterThanOrEqualTo(2);
      assertThat(result.message())
          .startsWith("GET " + server.url("/health") + " answered 404, expected 200, after " + result.attempts())
          .doesNotContain("hidden");
    }
  }

  @Test
  void givenAnEndpointSlowerThanTheTimeout_whenChecking_itShouldFailAsTimedOut() throws Exception {
    try (LocalHttpServer server = new LocalHttpServer("/health", (exchange, number) -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(exchange, 200, "");
    })) {

      long started = System.nanoTime();
      EndpointCheckResult result = activities.checkEndpoint(new EndpointCheckRequest(
          server.url("/health"), 200, Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(100)));

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_500));
      assertThat(result.passed()).isFalse();
      assertThat(result.lastStatus()).isZero();
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(result.message()).contains("timed out after 300 ms");
    }
  }

  @Test
  void givenARedirectIsExpected_whenChecking_itShouldNotFollowIt() throws Exception {
    try (LocalHttpServer server = new LocalHttpServer("/", (exchange, number) -> {
      exchange.getResponseHeaders().set("Location", "/elsewhere");
      respond(exchange, 301, "");
    })) {

      EndpointCheckResult result = activities.checkEndpoint(new EndpointCheckRequest(
          server.url("/"), 301, Duration.ofSeconds(2), Duration.ZERO, Duration.ofMillis(100)));

      assertThat(result.passed()).isTrue();
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void givenNothingListening_whenChecking_itShouldFailWithNoStatus() throws Exception {
    String url;
    try (LocalHttpServer closed = new LocalHttpServer("/", (exchange, number) -> respond(exchange, 200, ""))) {
      url = closed.url("/health");
    }

    EndpointCheckResult result = activities.checkEndpoint(new EndpointCheckRequest(
        url, 200, Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofMillis(100)));

    assertThat(result.passed()).isFalse();
    assertThat(result.lastStatus()).isZero();
    assertThat(result.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(result.message()).contains("failed (ConnectException)");
  }

  @Test
  void givenAMalformedRequest_whenChecking_itShouldFailWithoutRetry() {
    ApplicationFailure failure = catchThrowableOfType(() -> activities.checkEndpoint(new EndpointCheckRequest(
        "ftp://example.test/health", 200, Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(100))),
        ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenAnActivity_whenRetryingWithinTheWindow_itShouldHeartbeatTheAttempts() throws Exception {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try (LocalHttpServer server = new LocalHttpServer("/health",
        (exchange, number) -> respond(exchange, number <= 2 ? 503 : 200, ""))) {
      List<Integer> heartbeats = new CopyOnWriteArrayList<>();
      environment.setActivityHeartbeatListener(Integer.class, heartbeats::add);
      environment.registerActivitiesImplementations(activities);
      HealthActivities stub = environment.newActivityStub(HealthActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

      EndpointCheckResult result = stub.checkEndpoint(new EndpointCheckRequest(
          server.url("/health"), 200, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(50)));

      assertThat(result.passed()).isTrue();
      assertThat(heartbeats).isNotEmpty().startsWith(1);
    } finally {
      environment.close();
    }
  }
}
