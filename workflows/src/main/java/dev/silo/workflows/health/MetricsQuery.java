package dev.silo.workflows.health;

import java.time.Instant;

/**
 * Two PromQL instant queries evaluated at the same moment, for the watch window's triggers.
 *
 * @param prometheusUrl the base URL of a Prometheus-compatible HTTP API, such as {@code
 *     http://prometheus:9090}; {@code /api/v1/query} is appended
 * @param errorRateQuery a query whose value is the error rate in percent (0 to 100)
 * @param p99Query a query whose value is the 99th percentile latency in milliseconds
 * @param at the evaluation time; the workflow passes its own clock so a retry reads the same
 *     moment. Null means the server's now.
 */
public record MetricsQuery(String prometheusUrl, String errorRateQuery, String p99Query, Instant at) {}
