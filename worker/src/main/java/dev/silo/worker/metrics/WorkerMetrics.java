package dev.silo.worker.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;
import java.util.Objects;

/**
 * The worker's metrics: a Micrometer registry in the Prometheus format, and the tally scope that
 * the Temporal SDK, the workflows ({@code Workflow.getMetricsScope()}) and the activities report
 * through, via the SDK's {@link MicrometerClientStatsReporter}. Give {@link #scope()} to the
 * worker's service stubs, and serve {@link #scrape()} with {@link MetricsEndpoint}.
 */
public final class WorkerMetrics implements AutoCloseable {

  /**
   * How often the scope hands its counters and gauges to the registry (timers go at once); well
   * under the usual scrape interval of 15 seconds.
   */
  public static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry;
  private final Scope scope;

  private WorkerMetrics(PrometheusMeterRegistry registry, Scope scope) {
    this.registry = registry;
    this.scope = scope;
  }

  /** Metrics reported every {@link #REPORT_INTERVAL}. */
  public static WorkerMetrics create() {
    return create(REPORT_INTERVAL);
  }

  /** Metrics reported every {@code reportInterval}; tests use a short one. */
  public static WorkerMetrics create(Duration reportInterval) {
    Objects.requireNonNull(reportInterval, "reportInterval");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Scope scope = new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(reportInterval.toMillis()));
    return new WorkerMetrics(registry, scope);
  }

  /** The scope to set on the worker's {@code WorkflowServiceStubs}. */
  public Scope scope() {
    return scope;
  }

  /** Every meter in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Reports what the scope still holds, then closes it and the registry. */
  @Override
  public void close() {
    try {
      scope.close();
    } catch (ScopeCloseException e) {
      // The last report is lost; the process is stopping and has nobody left to scrape it.
    } finally {
      registry.close();
    }
  }
}
