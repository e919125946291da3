package dev.silo.workflows.release;

import java.time.Duration;

/**
 * How long a deployed version is watched before the deployment counts as a success, and what is
 * read while watching.
 *
 * @param duration how long the watch lasts, from the end of the health checks; zero skips it
 * @param interval the time between two readings of the triggers
 * @param errorRateQuery the PromQL instant query whose value is the error rate in percent
 * @param p99Query the PromQL instant query whose value is the p99 latency in milliseconds
 */
public record WatchWindow(Duration duration, Duration interval, String errorRateQuery, String p99Query) {

  /** Five minutes, read every 30 seconds, with the queries of {@link #DEFAULT_ERROR_RATE_QUERY} and
   * {@link #DEFAULT_P99_QUERY}. */
  public static final WatchWindow DEFAULT = new WatchWindow(Duration.ofMinutes(5), Duration.ofSeconds(30),
      WatchWindow.DEFAULT_ERROR_RATE_QUERY, WatchWindow.DEFAULT_P99_QUERY);

  /** 5xx responses in percent of all responses over the last five minutes. */
  public static final String DEFAULT_ERROR_RATE_QUERY =
      "100 * sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))";

  /** The 99th percentile of request durations over the last five minutes, in milliseconds. */
  public static final String DEFAULT_P99_QUERY =
      "1000 * histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))";
}
