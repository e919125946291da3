package dev.silo.workflows.health;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Health checks and metrics reads of a deployed environment. */
@ActivityInterface
public interface HealthActivities {

  /**
   * GETs the URL until it answers the expected status or the retry window is over, heartbeating
   * between attempts. Read-only, hence idempotent; a retry starts a new window.
   *
   * @return the outcome; a check that never got the expected status is a result with {@code
   *     passed} false, never a failure, so the workflow can roll back
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a
   *     URL that is not http(s) or a missing or non-positive duration
   */
  @ActivityMethod
  EndpointCheckResult checkEndpoint(EndpointCheckRequest request);

  /**
   * Evaluates both queries with the Prometheus HTTP API ({@code GET /api/v1/query}). Read-only,
   * hence idempotent.
   *
   * @throws io.temporal.failure.ApplicationFailure not retried: {@code VENDOR_REJECTED} when the
   *     server refuses a query (HTTP 4xx other than 408/429, such as a PromQL syntax error), {@code
   *     INVALID_REQUEST} when a query returns a matrix or string instead of a vector or scalar, or
   *     the URL is not http(s). Retried: {@code VENDOR_UNAVAILABLE} for I/O errors, 5xx, 408 and
   *     429 (after {@code Retry-After} when the server sends one) and an unreadable answer.
   */
  @ActivityMethod
  MetricsSample readMetrics(MetricsQuery query);
}
