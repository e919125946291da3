package dev.silo.activities.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The {@code Retry-After} header (RFC 9110 section 10.2.3), as every vendor client reads it. */
public final class RetryAfter {

  private RetryAfter() {}

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
}
