package dev.silo.activities.fly;

import dev.silo.activities.http.VendorRateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Request;

/**
 * Fly's Machines API rate limits, kept by this worker before each request.
 *
 * <p>Fly limits the Machines API per action and per machine: one request a second for each action
 * on a machine, with short bursts of three, except Get Machine, which allows five a second with
 * bursts of ten (Fly's "Working with the Machines API" page, section "Rate limits", and Fly staff on
 * community.fly.io thread 20636). An action scoped to an app rather than a machine (list or create
 * machines, show or delete the app) is kept the same way per app. Fly documents a lower limit on
 * app deletions whose figure was not at hand here; a deletion keeps the per-action limit, and a 429
 * Fly sends is honoured through its {@code Retry-After}. Creating an app and the GraphQL API are
 * outside these limits and are not held.
 *
 * <p>The worker keeps one request of each burst in hand ({@link VendorRateLimiter#clientBurst}),
 * since requests can reach Fly in another order than they left.
 */
final class FlyRateLimits {

  /** Fly's limit for an action on one machine or app: a second. */
  static final double ACTION_PER_SECOND = 1;
  /** Fly's burst for an action on one machine or app. */
  static final int ACTION_BURST = 3;
  /** Fly's limit for Get Machine: a second. */
  static final double GET_MACHINE_PER_SECOND = 5;
  /** Fly's burst for Get Machine. */
  static final int GET_MACHINE_BURST = 10;

  /** The longest wait a request takes for its turn; longer, the activity is retried later. */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /** Past this many buckets, the ones that are full again are dropped: their machines are done with. */
  private static final int PRUNE_ABOVE = 1_000;

  /** One limit: its rate and Fly's burst. */
  record Limit(double perSecond, int burst) {}

  private final Map<String, VendorRateLimiter> buckets = new ConcurrentHashMap<>();

  /** Waits for the request's turn; a request outside Fly's per-action limits goes at once. */
  void acquire(Request request) {
    String path = request.url().encodedPath();
    Limit limit = limitOf(request.method(), path);
    if (limit == null) {
      return;
    }
    if (buckets.size() > PRUNE_ABOVE) {
      buckets.values().removeIf(VendorRateLimiter::isIdle);
    }
    buckets.computeIfAbsent(request.method() + " " + path, key -> VendorRateLimiter.of("Fly", limit.perSecond(),
        VendorRateLimiter.clientBurst(limit.burst()), MAX_WAIT)).acquire();
  }

  /**
   * The limit of a Machines API request, by method and path, or null for one that Fly's per-action
   * limits do not cover. The sandbox keeps the same table when it enforces the limits.
   */
  static Limit limitOf(String method, String path) {
    List<String> segments = List.of(path.replaceFirst("^/", "").split("/"));
    if (segments.size() < 3 || !segments.get(0).equals("v1") || !segments.get(1).equals("apps")) {
      return null;
    }
    boolean getMachine = segments.size() == 5 && segments.get(3).equals("machines") && method.equals("GET");
    return getMachine ? new Limit(GET_MACHINE_PER_SECOND, GET_MACHINE_BURST) : new Limit(ACTION_PER_SECOND, ACTION_BURST);
  }
}
