package dev.silo.sandbox.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The release demo's webhook receiver over real HTTP, as the notify and incident activities call it. */
class WebhookReceiverTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final WebhookReceiver receiver = WebhookReceiver.start();

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void givenASlackMessage_whenPosted_itShouldAnswerOkAndKeepIt() throws Exception {
    HttpResponse<String> response = post(receiver.slackUrl(), "{\"text\":\"prod rolled back\"}", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(response.body()).isEqualTo("ok");
    assertThat(receiver.slackMessages()).singleElement()
        .satisfies(message -> assertThat(message.text()).isEqualTo("prod rolled back"));
  }

  @Test
  void givenTheSameIdempotencyKeyTwice_whenIncidentsArePosted_itShouldOpenOneIncident() throws Exception {
    String body = "{\"title\":\"prod p99 above threshold\",\"severity\":\"high\"}";

    HttpResponse<String> first = post(receiver.incidentUrl(), body, "rollback-prod-1");
    HttpResponse<String> again = post(receiver.incidentUrl(), body, "rollback-prod-1");
    HttpResponse<String> other = post(receiver.incidentUrl(), body, null);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(first.body()).get("id").asText()).isEqualTo("INC-1");
    assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo("INC-1");
    assertThat(JSON.readTree(other.body()).get("id").asText()).isEqualTo("INC-2");
    assertThat(receiver.incidents()).extracting(WebhookReceiver.Incident::title, WebhookReceiver.Incident::severity)
        .hasSize(2).first().isEqualTo(org.assertj.core.groups.Tuple.tuple("prod p99 above threshold", "high"));
  }

  @Test
  void givenAGetOrABodyThatIsNotAJsonObject_itShouldAnswer405Or400AndKeepNothing() throws Exception {
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(receiver.slackUrl())).GET().build(),
        BodyHandlers.ofString());
    HttpResponse<String> notJson = post(receiver.slackUrl(), "text=hello", null);
    HttpResponse<String> array = post(receiver.incidentUrl(), "[1]", null);

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.body()).isEqualTo("only POST");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).isEqualTo("invalid_payload");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(receiver.slackMessages()).isEmpty();
    assertThat(receiver.incidents()).isEmpty();
  }

  @Test
  void givenTheUrls_itShouldNameTheLoopbackAddress() {
    assertThat(receiver.slackUrl()).startsWith("http://127.0.0.1:").endsWith("/slack");
    assertThat(receiver.incidentUrl()).startsWith("http://127.0.0.1:").endsWith("/incidents");
  }

  private HttpResponse<String> post(String url, String body, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }
}
