package dev.silo.activities.notify;

import dev.silo.activities.http.RetryAfter;
import dev.silo.activities.http.VendorStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.notify.WebhookDelivery;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Instant;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * JSON posts to webhooks. Every error is classified here, once: a 4xx other than 408/429 is a
 * non-retryable {@code VENDOR_REJECTED}; 408, 429 and 5xx are a retryable {@code
 * VENDOR_UNAVAILABLE} whose next retry waits for {@code Retry-After} when the receiver sends one; an
 * I/O error is a retryable {@code VENDOR_UNAVAILABLE}.
 *
 * <p>A webhook URL is a secret (its path is the credential), so messages show only the scheme and
 * host, and exceptions from OkHttp, whose messages can hold the URL, are never attached as causes.
 */
final class WebhookClient {

  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final int MESSAGE_LIMIT = 300;

  private final OkHttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  WebhookClient(OkHttpClient http) {
    this.http = http;
  }

  /**
   * Parses a webhook URL.
   *
   * @throws ApplicationFailure {@code INVALID_REQUEST}, not retried, when it is not http(s); the
   *     message does not repeat it
   */
  static HttpUrl parse(String url, String what) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
    if (parsed == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          what + " is not an http(s) URL", FailureType.INVALID_REQUEST.type());
    }
    return parsed;
  }

  /** The URL as messages and logs may show it: scheme and host, the rest masked. */
  static String masked(HttpUrl url) {
    return url.scheme() + "://" + url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port())
        + "/***";
  }

  /**
   * Posts the body as JSON.
   *
   * @param operation what the post does, for messages ("notify", "openIncident")
   * @param idempotencyKey sent as {@code Idempotency-Key} when not null
   */
  WebhookDelivery post(String operation, HttpUrl url, Object body, String idempotencyKey) {
    Request.Builder request = new Request.Builder().url(url)
        .header("Accept", "application/json")
        .post(RequestBody.create(write(body), JSON_TYPE));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    String shown = masked(url);
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody responseBody = response.body();
      String text = responseBody == null ? "" : responseBody.string();
      if (!response.isSuccessful()) {
        throw failure(operation, shown, response.code(), scrub(abbreviate(text.strip()), url),
            response.header("Retry-After"));
      }
      return new WebhookDelivery(response.code(), referenceIn(text));
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "The " + operation + " webhook at " + shown + " could not be reached (" + e.getClass().getSimpleName() + ")",
          FailureType.VENDOR_UNAVAILABLE.type());
    }
  }

  private static ApplicationFailure failure(String operation, String shown, int status, String body, String retryAfter) {
    String said = body.isEmpty() ? "" : ": " + body;
    return VendorStatus.failure(status,
        "The " + operation + " webhook at " + shown + " refused the request (HTTP " + status + ")" + said,
        "The " + operation + " webhook at " + shown + " is unavailable (HTTP " + status + ")" + said,
        RetryAfter.delay(retryAfter, Instant.now()));
  }

  /** The {@code id} of a JSON object answer; Slack answers a plain {@code ok}, which has none. */
  private String referenceIn(String text) {
    try {
      JsonNode answer = json.readTree(text);
      return answer != null && answer.path("id").isValueNode() ? answer.path("id").asText() : null;
    } catch (JsonProcessingException notJson) {
      return null;
    }
  }

  private byte[] write(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The webhook payload cannot be written as JSON: " + e.getOriginalMessage(),
          FailureType.INVALID_REQUEST.type());
    }
  }

  /** Receivers echo the request path in errors; it must not reach a failure message. */
  private static String scrub(String text, HttpUrl url) {
    String scrubbed = text.replace(url.toString(), masked(url));
    String path = url.encodedPath();
    return path.length() > 1 ? scrubbed.replace(path, "/***") : scrubbed;
  }

  private static String abbreviate(String text) {
    return text.length() <= MESSAGE_LIMIT ? text : text.substring(0, MESSAGE_LIMIT) + "...";
  }
}
