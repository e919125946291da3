package dev.silo.activities.http;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket that keeps this worker's requests to one vendor within the vendor's published
 * limit: {@code burst} requests at once, then {@code perSecond} a second.
 *
 * <p>A caller reserves its token before it sends and sleeps until the token is due, so that
 * waiting callers are served in the order they came. A wait longer than {@code maxWait} is not
 * taken: the call fails retryably instead, its next retry delayed by that wait, so that an
 * activity never sits for minutes inside one request.
 */
public final class VendorRateLimiter {

  /** Sleeps for a while; {@link Thread#sleep} in production. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final double NANOS_PER_SECOND = 1e9;

  private final String vendor;
  private final double perNano;
  private final double burst;
  private final Duration maxWait;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private double tokens;
  private long updated;

  /**
   * @param vendor names the vendor in a failure
   * @param perSecond the sustained rate
   * @param burst how many requests may go at once after a quiet while
   * @param maxWait the longest wait taken inside a call
   * @param nanoClock {@link System#nanoTime} in production
   * @param sleeper {@link Thread#sleep} in production
   */
  public VendorRateLimiter(String vendor, double perSecond, int burst, Duration maxWait, LongSupplier nanoClock,
      Sleeper sleeper) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
    }
    this.vendor = vendor;
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.maxWait = maxWait;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
    this.tokens = burst;
    this.updated = nanoClock.getAsLong();
  }

  /**
   * The burst a worker allows itself under a vendor's burst: a tenth less, and at least one less
   * when the burst allows it, so that requests reaching the vendor in another order than they left
   * (one held up on its way, the next not) still find a token there.
   */
  public static int clientBurst(int vendorBurst) {
    return Math.max(1, vendorBurst - Math.max(1, vendorBurst / 10));
  }

  /** A limiter on the system clock. */
  public static VendorRateLimiter of(String vendor, double perSecond, int burst, Duration maxWait) {
    return new VendorRateLimiter(vendor, perSecond, burst, maxWait, System::nanoTime,
        duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000)));
  }

  /**
   * Waits until a request may be sent.
   *
   * @throws ApplicationFailure retryable {@code VENDOR_UNAVAILABLE}, its next retry delayed by the
   *     wait, when the wait would be longer than the limiter's bound, or when the thread is
   *     interrupted
   */
  public void acquire() {
    Duration wait = reserve();
    if (wait.isZero()) {
      return;
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailureWithCause(vendor + " request interrupted while waiting for the rate limit",
          FailureType.VENDOR_UNAVAILABLE.type(), e);
    }
  }

  /**
   * Takes a token and says how long to wait for it, or fails when that is longer than the bound
   * (taking nothing then).
   */
  synchronized Duration reserve() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - updated) * perNano);
    updated = now;
    double after = tokens - 1;
    Duration wait = after >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-after / perNano));
    if (wait.compareTo(maxWait) > 0) {
      throw ApplicationFailure.newBuilder()
          .setType(FailureType.VENDOR_UNAVAILABLE.type())
          .setMessage(vendor + "'s rate limit would hold this request " + wait.toMillis()
              + " ms, longer than the " + maxWait.toMillis() + " ms a call waits; retried later")
          .setNextRetryDelay(wait)
          .build();
    }
    tokens = after;
    return wait;
  }

  /** Whether the bucket is full again: no caller is waiting and none would. */
  public synchronized boolean isIdle() {
    long now = nanoClock.getAsLong();
    return tokens + (now - updated) * perNano >= burst;
  }
}
