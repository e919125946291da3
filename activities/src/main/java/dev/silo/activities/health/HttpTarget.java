package dev.silo.activities.health;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import okhttp3.HttpUrl;

/** URLs as the health activities accept and show them. */
final class HttpTarget {

  private HttpTarget() {}

  /**
   * Parses an http(s) URL.
   *
   * @throws ApplicationFailure {@code INVALID_REQUEST}, not retried, for anything else
   */
  static HttpUrl parse(String url, String what) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
    if (parsed == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          what + " is not an http(s) URL: " + (url == null ? null : shown(url)),
          FailureType.INVALID_REQUEST.type());
    }
    return parsed;
  }

  /** The URL without user, password or query, which may carry tokens. */
  static String shown(HttpUrl url) {
    return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
  }

  private static String shown(String url) {
    return url.replaceAll("(?<=://)[^/@\\s]*@", "").replaceAll("[?#].*", "");
  }
}
