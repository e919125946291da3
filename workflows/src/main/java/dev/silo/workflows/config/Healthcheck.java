package dev.silo.workflows.config;

import dev.silo.workflows.DurationRange;
import java.time.Duration;
import java.util.List;

/**
 * A Compose healthcheck.
 *
 * @param test the test in Compose form: {@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]}
 * @param interval time between probes (Compose default 30s)
 * @param timeout time one probe may take (Compose default 30s)
 * @param retries consecutive failures that make the container unhealthy (Compose default 3)
 * @param startPeriod grace period during which failures do not count (Compose default 0s)
 */
public record Healthcheck(
    List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {

  /**
   * The range of {@code interval} a config may write: the whole container step, probes included,
   * must fit in its activity's ten minutes.
   */
  public static final DurationRange INTERVAL_RANGE = new DurationRange(Duration.ofSeconds(1), Duration.ofMinutes(5));

  /** The range of {@code timeout} a config may write. */
  public static final DurationRange TIMEOUT_RANGE = new DurationRange(Duration.ofSeconds(1), Duration.ofMinutes(5));

  /** The range of {@code start_period} a config may write. */
  public static final DurationRange START_PERIOD_RANGE = new DurationRange(Duration.ZERO, Duration.ofMinutes(10));

  public Healthcheck {
    test = test == null ? List.of() : List.copyOf(test);
  }
}
