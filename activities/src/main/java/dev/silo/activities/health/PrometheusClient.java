package dev.silo.activities.health;

import dev.silo.activities.http.RetryAfter;
import dev.silo.activities.http.VendorStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Instant queries of the Prometheus HTTP API ({@code GET /api/v1/query}).
 *
 * <p>Every error is classified here, once: a 4xx other than 408/429 (400 {@code bad_data}, 422
 * {@code execution}) is a non-retryable {@code VENDOR_REJECTED} carrying Prometheus's error; 408,
 * 429 and 5xx (503 is a query timeout or an overloaded server) are a retryable {@code
 * VENDOR_UNAVAILABLE} whose next retry waits for {@code Retry-After} when sent; I/O errors and
 * unreadable answers are retryable {@code VENDOR_UNAVAILABLE}.
 */
final class PrometheusClient {

  private static final int MESSAGE_LIMIT = 500;

  private final OkHttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  PrometheusClient(OkHttpClient http) {
    this.http = http;
  }

  /**
   * Evaluates one query.
   *
   * @param at the evaluation time, or null for the server's now
   * @return the highest value over the result's series; null when there is none or it is NaN
   */
  Double query(HttpUrl base, String query, Instant at) {
    HttpUrl.Builder url = base.newBuilder().addPathSegments("api/v1/query").addQueryParameter("query", query);
    if (at != null) {
      url.addQueryParameter("time", BigDecimal.valueOf(at.toEpochMilli(), 3).toPlainString());
    }
    Request request = new Request.Builder().url(url.build()).header("Accept", "application/json").get().build();
    String shown = HttpTarget.shown(base);
    JsonNode answer;
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      answer = readJson(text);
      if (!response.isSuccessful()) {
        throw failure(shown, query, response.code(), errorOf(answer, text), response.header("Retry-After"));
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "Prometheus at " + shown + " could not be reached: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(base.toString(), shown)),
          FailureType.VENDOR_UNAVAILABLE.type());
    }
    if (answer == null || !"success".equals(answer.path("status").asText())) {
      throw ApplicationFailure.newFailure(
          "Prometheus at " + shown + " answered " + query + " without a success status: "
              + (answer == null ? "not JSON" : abbreviate(answer.toString())),
          FailureType.VENDOR_UNAVAILABLE.type());
    }
    return valueOf(answer.path("data"), query);
  }

  private static Double valueOf(JsonNode data, String query) {
    String resultType = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (resultType) {
      case "scalar" -> parse(result.path(1).asText(), query);
      case "vector" -> {
        Double highest = null;
        for (JsonNode series : result) {
          Double value = parse(series.path("value").path(1).asText(), query);
          if (value != null && (highest == null || value > highest)) {
            highest = value;
          }
        }
        yield highest;
      }
      default -> throw ApplicationFailure.newNonRetryableFailure(
          "The query " + query + " returns a " + (resultType.isEmpty() ? "result of no type" : resultType)
              + "; a watch-window trigger needs an instant vector or a scalar",
          FailureType.INVALID_REQUEST.type());
    };
  }

  /** Prometheus sends sample values as strings: a float, {@code NaN}, {@code +Inf} or {@code -Inf}. */
  private static Double parse(String value, String query) {
    return switch (value) {
      case "NaN" -> null;
      case "+Inf" -> Double.MAX_VALUE;
      case "-Inf" -> -Double.MAX_VALUE;
      default -> {
        try {
          yield Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw ApplicationFailure.newFailure(
              "Prometheus answered " + query + " with a value that is not a number: " + abbreviate(value),
              FailureType.VENDOR_UNAVAILABLE.type());
        }
      }
    };
  }

  private ApplicationFailure failure(String shown, String query, int status, String error, String retryAfter) {
    return VendorStatus.failure(status,
        "Prometheus at " + shown + " refused the query " + query + " (HTTP " + status + "): " + error,
        "Prometheus at " + shown + " is unavailable (HTTP " + status + "): " + error,
        RetryAfter.delay(retryAfter, Instant.now()));
  }

  private JsonNode readJson(String text) {
    try {
      return text.isBlank() ? null : json.readTree(text);
    } catch (IOException notJson) {
      return null;
    }
  }

  /** Prometheus's {@code errorType: error}, else the body itself, short. */
  private static String errorOf(JsonNode answer, String text) {
    if (answer != null && answer.path("error").isTextual()) {
      return abbreviate(answer.path("errorType").asText("error") + ": " + answer.path("error").asText());
    }
    return text.isBlank() ? "no message" : abbreviate(text.strip());
  }

  private static String abbreviate(String text) {
    return text.length() <= MESSAGE_LIMIT ? text : text.substring(0, MESSAGE_LIMIT) + "...";
  }
}
