package dev.silo.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.activities.notify.WebhookReceiver.Received;
import dev.silo.workflows.notify.IncidentRequest;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.notify.WebhookDelivery;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotifyActivitiesImplTest {

  private static final String SECRET_PATH = "/services/T0001/B0002/XXXXsecretXXXX";

  private final ObjectMapper json = new ObjectMapper();
  private WebhookReceiver receiver;
  private NotifyActivitiesImpl activities;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = new WebhookReceiver();
    activities = new NotifyActivitiesImpl(
        Map.of("SILO_SLACK_WEBHOOK", receiver.url(SECRET_PATH)), new OkHttpClient());
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void givenAWebhookInTheWorkerEnvironment_whenNotifying_itShouldPostTheSlackPayload() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Environment", "prod");
    fields.put("Version", "v2.0.0");
    fields.put("Trigger", "p99 1250 ms > 800 ms");

    WebhookDelivery delivery = activities.notify(new NotifyRequest("SILO_SLACK_WEBHOOK", null,
        "Rolled back *acme* on prod: p99 <800 ms> breached & restored", fields, "release-42-notify"));

    assertThat(delivery).isEqualTo(new WebhookDelivery(200, null));
    assertThat(receiver.received).hasSize(1);
    Received request = receiver.received.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo(SECRET_PATH);
    assertThat(request.contentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(request.idempotencyKey()).isEqualTo("release-42-notify");
    assertThat(json.readTree(request.body())).isEqualTo(json.readTree("""
        {
          "text": "Rolled back *acme* on prod: p99 &lt;800 ms&gt; breached &amp; restored",
          "blocks": [
            {"type": "section", "text": {"type": "mrkdwn",
              "text": "Rolled back *acme* on prod: p99 &lt;800 ms&gt; breached &amp; restored"}},
            {"type": "section", "fields": [
              {"type": "mrkdwn", "text": "*Environment*\\nprod"},
              {"type": "mrkdwn", "text": "*Version*\\nv2.0.0"},
              {"type": "mrkdwn", "text": "*Trigger*\\np99 1250 ms &gt; 800 ms"}
            ]}
          ]
        }"""));
  }

  @Test
  void givenElevenFieldsAndNoVariable_whenNotifyingAUrl_itShouldSplitThemIntoSectionsOfTen() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 1; i <= 11; i++) {
      fields.put("f" + i, i);
    }

    activities.notify(new NotifyRequest(null, receiver.url("/hook"), "Deployed", fields, "k"));

    var blocks = json.readTree(receiver.received.get(0).body()).path("blocks");
    assertThat(blocks).hasSize(3);
    assertThat(blocks.get(1).path("fields")).hasSize(10);
    assertThat(blocks.get(2).path("fields").get(0).path("text").asText()).isEqualTo("*f11*\n11");
  }

  @Test
  void givenAnIncident_whenOpeningIt_itShouldPostJsonWithTheIdempotencyKeyAndReturnTheIncidentId()
      throws Exception {
    receiver.answer(201, "{\"id\":\"INC-1042\",\"status\":\"triggered\"}", Map.of("Content-Type", "application/json"));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("environment", "prod");
    details.put("version", "v2.0.0");
    details.put("errorRatePercent", 7.5);

    WebhookDelivery delivery = activities.openIncident(new IncidentRequest(null, receiver.url("/incidents"),
        "acme prod rolled back from v2.0.0", "critical", details, "release-42-incident"));

    assertThat(delivery).isEqualTo(new WebhookDelivery(201, "INC-1042"));
    Received request = receiver.received.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/incidents");
    assertThat(request.contentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(request.idempotencyKey()).isEqualTo("release-42-incident");
    assertThat(json.readTree(request.body())).isEqualTo(json.readTree("""
        {"title": "acme prod rolled back from v2.0.0", "severity": "critical",
         "details": {"environment": "prod", "version": "v2.0.0", "errorRatePercent": 7.5},
         "idempotency_key": "release-42-incident"}"""));
  }

  @Test
  void givenAReceiverRefusingThePayload_whenNotifying_itShouldFailAsRejectedWithoutTheUrl() {
    receiver.answer(400, "invalid_payload for " + SECRET_PATH, Map.of());

    ApplicationFailure failure = notifyFailure();

    assertThat(failure.getType()).isEqualTo("VENDOR_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("The notify webhook at http://127.0.0.1:" + port() + "/*** refused the request (HTTP 400):"
            + " invalid_payload for /***")
        .doesNotContain("secret");
  }

  @Test
  void givenAConnectionResetAfterTheIncidentToolGotTheRequest_whenOpeningIt_itShouldSendItOnceAndFailRetryably()
      throws Exception {
    // The worker's shared client, as the worker builds it: its connection to the tool is pooled by
    // an earlier delivery, which is where OkHttp would resend a request cut off by itself.
    activities.notify(new NotifyRequest("SILO_SLACK_WEBHOOK", null, "deploy started", Map.of(), "k-1"));
    receiver.dropReplies();

    ApplicationFailure failure = catchThrowableOfType(() -> activities.openIncident(new IncidentRequest(null,
        receiver.url("/incidents/token-abc"), "down", "critical", null, "k-2")), ApplicationFailure.class);

    assertThat(receiver.received).as("requests the receiver got").hasSize(2);
    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void givenRateLimiting_whenNotifying_itShouldRetryAfterTheReceiversRetryAfter() {
    receiver.answer(429, "rate_limited", Map.of("Retry-After", "30"));

    ApplicationFailure failure = notifyFailure();

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void givenAnUnavailableIncidentTool_whenOpeningAnIncident_itShouldRetryAfterItsRetryAfter() {
    receiver.answer(503, "", Map.of("Retry-After", "5"));

    ApplicationFailure failure = catchThrowableOfType(() -> activities.openIncident(new IncidentRequest(null, 
        receiver.url("/incidents/token-abc"), "down", "critical", null, "k")), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(failure.getOriginalMessage()).doesNotContain("token-abc");
  }

  @Test
  void givenServerErrorsAndRequestTimeouts_whenNotifying_itShouldRetryWithTheRetryPolicy() {
    for (int status : new int[] {500, 502, 408}) {
      receiver.answer(status, "", Map.of());

      ApplicationFailure failure = notifyFailure();

      assertThat(failure.getType()).as("HTTP %d", status).isEqualTo("VENDOR_UNAVAILABLE");
      assertThat(failure.isNonRetryable()).as("HTTP %d", status).isFalse();
      assertThat(failure.getNextRetryDelay()).as("HTTP %d", status).isNull();
    }
  }

  @Test
  void givenOther4xx_whenOpeningAnIncident_itShouldNotRetry() {
    for (int status : new int[] {401, 403, 404, 410, 422}) {
      receiver.answer(status, "{\"error\":\"no\"}", Map.of());

      ApplicationFailure failure = catchThrowableOfType(() -> activities.openIncident(new IncidentRequest(null, 
          receiver.url("/incidents"), "down", "critical", Map.of(), "k")), ApplicationFailure.class);

      assertThat(failure.getType()).as("HTTP %d", status).isEqualTo("VENDOR_REJECTED");
      assertThat(failure.isNonRetryable()).as("HTTP %d", status).isTrue();
    }
  }

  @Test
  void givenAReceiverThatIsDown_whenNotifying_itShouldRetryWithoutShowingTheUrl() {
    String url = receiver.url(SECRET_PATH);
    receiver.close();
    NotifyActivitiesImpl down = new NotifyActivitiesImpl(Map.of("SILO_SLACK_WEBHOOK", url), new OkHttpClient());

    ApplicationFailure failure = catchThrowableOfType(() -> down.notify(
        new NotifyRequest("SILO_SLACK_WEBHOOK", null, "Deployed", null, "k")), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("could not be reached").doesNotContain("secret");
    assertThat(failure.getCause()).isNull();
  }

  @Test
  void givenAVariableTheWorkerDoesNotSet_whenNotifying_itShouldFailAsAConfigProblem() {
    ApplicationFailure failure = catchThrowableOfType(() -> activities.notify(
        new NotifyRequest("SILO_TEAMS_WEBHOOK", null, "Deployed", null, "k")), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("INVALID_CONFIG");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("SILO_TEAMS_WEBHOOK");
  }

  @Test
  void givenAMalformedWebhookUrl_whenNotifying_itShouldFailWithoutRepeatingIt() {
    NotifyActivitiesImpl misconfigured =
        new NotifyActivitiesImpl(Map.of("SILO_SLACK_WEBHOOK", "hooks.example.test/T1/secret"), new OkHttpClient());

    ApplicationFailure failure = catchThrowableOfType(() -> misconfigured.notify(
        new NotifyRequest("SILO_SLACK_WEBHOOK", null, "Deployed", null, "k")), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
    assertThat(failure.getOriginalMessage()).contains("SILO_SLACK_WEBHOOK").doesNotContain("secret");
  }

  @Test
  void givenAnIncidentWithoutIdempotencyKey_whenOpeningIt_itShouldRefuseBeforePosting() {
    ApplicationFailure failure = catchThrowableOfType(() -> activities.openIncident(new IncidentRequest(null, 
        receiver.url("/incidents"), "down", "critical", Map.of(), null)), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
    assertThat(receiver.received).isEmpty();
  }

  private ApplicationFailure notifyFailure() {
    return catchThrowableOfType(() -> activities.notify(
        new NotifyRequest("SILO_SLACK_WEBHOOK", null, "Deployed", null, "k")), ApplicationFailure.class);
  }

  private int port() {
    return Integer.parseInt(receiver.url("").replaceAll(".*:", ""));
  }
}
