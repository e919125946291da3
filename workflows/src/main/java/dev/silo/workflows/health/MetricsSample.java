package dev.silo.workflows.health;

/**
 * The values of a {@link MetricsQuery}. When a query returns several series, the worst (highest)
 * value is kept; an infinite value is {@link Double#MAX_VALUE}, so it breaches any threshold.
 *
 * @param errorRatePercent the error rate in percent, or null when the query returned no sample
 *     (no series, or NaN such as 0/0 with no traffic)
 * @param p99Millis the p99 latency in milliseconds, or null when the query returned no sample
 */
public record MetricsSample(Double errorRatePercent, Double p99Millis) {}
