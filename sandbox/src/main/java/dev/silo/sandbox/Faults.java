package dev.silo.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency and failures an emulator injects, per operation (an operation is a name the emulator
 * chooses, such as {@code createApp} or {@code POST /sites/{id}/builds}). Thread-safe: emulators
 * serve concurrent requests.
 */
public final class Faults {

  private volatile Duration defaultLatency = Duration.ZERO;
  private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, Integer>> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** Every call waits this long before it is answered. */
  public Faults latency(Duration latency) {
    defaultLatency = latency;
    return this;
  }

  /** Calls of one operation wait this long, instead of the default latency. */
  public Faults latency(String operation, Duration latency) {
    latencies.put(operation, latency);
    return this;
  }

  /** The {@code nth} call (1-based) of the operation is answered with {@code status}. */
  public Faults failCall(String operation, int nth, int status) {
    failures.computeIfAbsent(operation, key -> new ConcurrentHashMap<>()).put(nth, status);
    return this;
  }

  /**
   * Counts a call of the operation, waits its latency, and tells the status to fail it with, if
   * any.
   */
  public Optional<Integer> onCall(String operation) {
    int nth = calls.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
    Duration latency = latencies.getOrDefault(operation, defaultLatency);
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Map<Integer, Integer> planned = failures.get(operation);
    return planned == null ? Optional.empty() : Optional.ofNullable(planned.get(nth));
  }

  /** How many times the operation was called. */
  public int calls(String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }
}
