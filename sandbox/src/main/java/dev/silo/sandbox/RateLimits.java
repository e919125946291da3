package dev.silo.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A vendor's rate limits as an emulator enforces them when asked: token buckets, one per key (a
 * token, an action on a machine), each with the vendor's rate and burst. Off by default, so that
 * tests of other things are never refused. The emulator answers a refused request 429 with {@link
 * #retryAfterSeconds}, and the refusals are counted.
 */
public final class RateLimits {

  /** A vendor's limit: a sustained rate and how many requests may go at once. */
  public record Limit(double perSecond, int burst) {}

  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(int burst, long now) {
      this.tokens = burst;
      this.updated = now;
    }
  }

  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private volatile boolean enforced;

  public RateLimits() {
    this(System::nanoTime);
  }

  RateLimits(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Turns enforcement on or off; the buckets start full when it is turned on. */
  public void enforce(boolean enforce) {
    buckets.clear();
    enforced = enforce;
  }

  /** How many requests were refused over a limit. */
  public int refusals() {
    return refusals.get();
  }

  /**
   * Takes a token from the key's bucket when one is there.
   *
   * @return empty when the request may be served (or nothing is enforced); else how long until a
   *     token is back, and the refusal is counted
   */
  public Optional<Duration> admit(String key, Limit limit) {
    if (!enforced) {
      return Optional.empty();
    }
    Bucket bucket = buckets.computeIfAbsent(key, any -> new Bucket(limit.burst(), nanoClock.getAsLong()));
    synchronized (bucket) {
      long now = nanoClock.getAsLong();
      double perNano = limit.perSecond() / 1e9;
      bucket.tokens = Math.min(limit.burst(), bucket.tokens + (now - bucket.updated) * perNano);
      bucket.updated = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return Optional.empty();
      }
      refusals.incrementAndGet();
      return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perNano)));
    }
  }

  /** A wait as {@code Retry-After} states it: whole seconds, rounded up, at least one. */
  public static String retryAfterSeconds(Duration wait) {
    long seconds = (wait.toMillis() + 999) / 1000;
    return Long.toString(Math.max(1, seconds));
  }
}
