package dev.silo.activities.desk;

import dev.silo.activities.http.RetryAfter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse.ResponseInfo;
import java.time.Clock;
import java.time.Duration;

/**
 * The desk answered an MCP message with an HTTP status other than success. Carries what the
 * classification needs and the SDK's own transport errors drop: the status, {@code Retry-After},
 * and the desk's message from the body.
 */
final class DeskHttpStatusException extends RuntimeException {

  private static final int MAX_MESSAGE_LENGTH = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final Duration retryAfter;
  private final String deskMessage;

  private DeskHttpStatusException(int status, Duration retryAfter, String deskMessage) {
    super("HTTP " + status + ": " + deskMessage, null, false, false);
    this.status = status;
    this.retryAfter = retryAfter;
    this.deskMessage = deskMessage;
  }

  static DeskHttpStatusException of(ResponseInfo response, String body) {
    Duration retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .map(value -> retryAfter(value, Clock.systemUTC()))
            .orElse(null);
    return new DeskHttpStatusException(response.statusCode(), retryAfter, deskMessage(body));
  }

  int status() {
    return status;
  }

  /** How long the desk asked to wait before trying again, or null when it did not say. */
  Duration retryAfter() {
    return retryAfter;
  }

  String deskMessage() {
    return deskMessage;
  }

  /** Delta-seconds or an HTTP-date (RFC 9110 section 10.2.3); null when it is neither. */
  static Duration retryAfter(String value, Clock clock) {
    return RetryAfter.delay(value, clock.instant());
  }

  /**
   * The message of a JSON error body ({@code {"error": "..."}}, {@code {"error": {"message":
   * "..."}}} or {@code {"message": "..."}}), or else the body itself, shortened.
   */
  private static String deskMessage(String body) {
    String message = body == null ? "" : body.strip();
    try {
      JsonNode json = JSON.readTree(message);
      if (json != null && json.isObject()) {
        JsonNode error = json.path("error");
        if (error.isTextual()) {
          message = error.asText();
        } else if (error.path("message").isTextual()) {
          message = error.path("message").asText();
        } else if (json.path("message").isTextual()) {
          message = json.path("message").asText();
        }
      }
    } catch (IOException notJson) {
      // A plain-text or HTML body: shown as it is, shortened.
    }
    if (message.isEmpty()) {
      return "no message";
    }
    return message.length() <= MAX_MESSAGE_LENGTH
        ? message
        : message.substring(0, MAX_MESSAGE_LENGTH) + "...";
  }
}
