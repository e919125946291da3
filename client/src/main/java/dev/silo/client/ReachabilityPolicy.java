package dev.silo.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How patiently {@link TemporalConnection#ensureReachable(ReachabilityPolicy)} waits for the server.
 * A server that is there but slow to answer (a busy machine, a dev server sharing its cores) is
 * asked again; a server that is not there (the connection is refused, the host is unknown) is
 * reported at once, whatever the policy.
 *
 * @param attemptDeadline how long each attempt waits for its answers (system info, then namespace)
 * @param attempts how many attempts are made at most; at least one
 * @param backoff the pause after the first unanswered attempt; each further pause is as long again
 *     (1 s, 2 s, ...)
 */
public record ReachabilityPolicy(Duration attemptDeadline, int attempts, Duration backoff) {

  /**
   * The CLI's and the worker's patience: three attempts of 10 s, 1 s and then 2 s apart, so at most
   * about 33 s before a silent server is reported, while a healthy server under load, which once
   * missed a single 3 s deadline, has time to answer.
   */
  public static final ReachabilityPolicy DEFAULT =
      new ReachabilityPolicy(Duration.ofSeconds(10), 3, Duration.ofSeconds(1));

  public ReachabilityPolicy {
    Objects.requireNonNull(attemptDeadline, "attemptDeadline");
    Objects.requireNonNull(backoff, "backoff");
    if (attemptDeadline.isNegative() || attemptDeadline.isZero()) {
      throw new IllegalArgumentException("attemptDeadline must be positive, not " + attemptDeadline);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative, not " + backoff);
    }
  }

  /** The pause after the unanswered attempt {@code attempt} (1-based). */
  Duration pauseAfter(int attempt) {
    return backoff.multipliedBy(attempt);
  }
}
