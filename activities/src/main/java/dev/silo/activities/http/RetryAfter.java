package dev.silo.activities.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Response;

/** The {@code Retry-After} header (RFC 9110 section 10.2.3), as every vendor client reads it. */
public final class RetryAfter {

  /**
   * The longest wait, over all the 429s of one request, that a client takes inside the call before
   * it resends; beyond it the call fails and Temporal's retry waits instead, so that an activity does
   * not sit for a minute in one request.
   */
  public static final Duration MAX_IN_CALL = Duration.ofSeconds(5);

  private RetryAfter() {}

  /**
   * The wait before resending a request the vendor answered 429, when it is to be taken inside the
   * call: a 429 was not carried out, so the same request may be sent again.
   *
   * @param waited what this request has waited for earlier 429s
   * @return the wait, or empty when the header gives none or the total would pass {@link #MAX_IN_CALL}
   */
  public static Optional<Duration> resendAfter(String header, Instant now, Duration waited) {
    Duration delay = delay(header, now);
    return delay == null || waited.plus(delay).compareTo(MAX_IN_CALL) > 0 ? Optional.empty() : Optional.of(delay);
  }

  /**
   * Reads delay-seconds or an HTTP date.
   *
   * @return the wait (never negative), or null when the header is absent or unreadable, so that the
   *     activity's retry policy decides
   */
  public static Duration delay(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** One sending of a request, in its turn under the vendor's limits. */
  @FunctionalInterface
  public interface Sender {
    Response send() throws IOException;
  }

  /**
   * Sends the request; a 429 whose {@code Retry-After} keeps the total wait within {@link
   * #MAX_IN_CALL} is waited out and the request sent again (the vendor carried nothing out). Any
   * other answer is returned for the caller to read.
   *
   * @throws InterruptedIOException when interrupted while waiting out a 429
   */
  public static Response send(Sender sender) throws IOException {
    Duration waited = Duration.ZERO;
    while (true) {
      Response response = sender.send();
      Optional<Duration> resend = response.code() == 429
          ? resendAfter(response.header("Retry-After"), Instant.now(), waited)
          : Optional.empty();
      if (resend.isEmpty()) {
        return response;
      }
      response.close();
      waited = waited.plus(resend.get());
      try {
        Thread.sleep(resend.get().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting out a 429");
      }
    }
  }
}
