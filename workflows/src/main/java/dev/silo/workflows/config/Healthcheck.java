package dev.silo.workflows.config;

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

  public Healthcheck {
    test = test == null ? List.of() : List.copyOf(test);
  }
}
