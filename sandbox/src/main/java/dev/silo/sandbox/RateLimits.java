package dev.silo.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A vendor's documented request rates, as token buckets keyed by what the vendor counts per: a
 * call over the rate is refused with the time until a token is back.
 */
public final class RateLimits {

  /** One rate: {@code perSecond} tokens come back each second, at most {@code burst} kept. */
  public record Rate(double perSecond, int burst) {}

  private final BiFunction<String, String, String> keyOf;
  private final BiFunction<String, String, Rate> rateOf;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private RateLimits(BiFunction<String, String, String> keyOf, BiFunction<String, String, Rate> rateOf) {
    this.keyOf = keyOf;
    this.rateOf = rateOf;
  }

  /** Netlify's 500 requests a minute, for the whole account. */
  public static RateLimits netlify() {
    Rate rate = new Rate(500.0 / 60, 500);
    return new RateLimits((method, path) -> "account", (method, path) -> rate);
  }

  /**
   * The Fly Machines API's: per action and app, 1 request a second with bursts of 3; reading a
   * machine 5 a second with bursts of 10. GraphQL (organizations) is not limited here.
   */
  public static RateLimits flyMachines() {
    Rate action = new Rate(1, 3);
    Rate read = new Rate(5, 10);
    return new RateLimits(RateLimits::flyAction,
        (method, path) -> "GET".equals(method) ? read : action);
  }

  /** For tests and other vendors: one rate for every call. */
  public static RateLimits of(Rate rate) {
    return new RateLimits((method, path) -> "all", (method, path) -> rate);
  }

  /** Null when the call is admitted, else how long until it would be. */
  Duration admit(String method, String path, Instant now) {
    if (path.startsWith("/graphql")) {
      return null;
    }
    Rate rate = rateOf.apply(method, path);
    Bucket bucket = buckets.computeIfAbsent(keyOf.apply(method, path), key -> new Bucket(rate, now));
    return bucket.take(now);
  }

  /** {@code GET /v1/apps/a/machines/m/wait} counts as {@code GET a machines/{id}/wait}. */
  static String flyAction(String method, String path) {
    String[] parts = path.split("/");
    StringBuilder key = new StringBuilder(method);
    for (int i = 0; i < parts.length; i++) {
      boolean appName = i > 0 && "apps".equals(parts[i - 1]);
      boolean machineId = i > 0 && "machines".equals(parts[i - 1]);
      key.append('/').append(machineId ? "{id}" : parts[i]);
      if (appName) {
        key.append('=').append(parts[i]);
      }
    }
    return key.toString();
  }

  private static final class Bucket {
    private final Rate rate;
    private double tokens;
    private Instant last;

    Bucket(Rate rate, Instant now) {
      this.rate = rate;
      this.tokens = rate.burst();
      this.last = now;
    }

    synchronized Duration take(Instant now) {
      double elapsed = Math.max(0, Duration.between(last, now).toNanos() / 1e9);
      tokens = Math.min(rate.burst(), tokens + elapsed * rate.perSecond());
      last = now.isAfter(last) ? now : last;
      if (tokens >= 1) {
        tokens -= 1;
        return null;
      }
      return Duration.ofNanos((long) Math.ceil((1 - tokens) / rate.perSecond() * 1e9));
    }
  }
}
