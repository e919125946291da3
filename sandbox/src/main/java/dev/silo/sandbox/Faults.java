package dev.silo.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  private final Map<String, Set<Integer>> droppedReplies = new ConcurrentHashMap<>();
  private final Map<String, Set<Integer>> resets = new ConcurrentHashMap<>();

  /**
   * What an emulator does with one call.
   *
   * @param failWith the status to answer instead of carrying the call out, if any
   * @param dropReply whether to carry the call out and then drop the connection without answering
   * @param resetBeforeApplied whether to drop the connection without carrying the call out
   */
  public record Call(Optional<Integer> failWith, boolean dropReply, boolean resetBeforeApplied) {

    /** A call whose connection is not reset before it is carried out. */
    public Call(Optional<Integer> failWith, boolean dropReply) {
      this(failWith, dropReply, false);
    }
  }

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
   * The {@code nth} call (1-based) of the operation is carried out, then its connection is closed
   * before any answer: the caller cannot tell whether it succeeded, as when a network fails after
   * the vendor applied a request. Emulators that honour it say so; the others ignore it.
   */
  public Faults dropReply(String operation, int nth) {
    droppedReplies.computeIfAbsent(operation, key -> ConcurrentHashMap.newKeySet()).add(nth);
    return this;
  }

  /**
   * The {@code nth} call (1-based) of the operation is not carried out: its connection is closed
   * before any answer, as when a network fails before the request reaches the vendor. The caller
   * cannot tell this apart from a {@linkplain #dropReply dropped reply}. Emulators that honour it
   * say so; the others ignore it.
   */
  public Faults resetBefore(String operation, int nth) {
    resets.computeIfAbsent(operation, key -> ConcurrentHashMap.newKeySet()).add(nth);
    return this;
  }

  /**
   * Counts a call of the operation, waits its latency, and tells the status to fail it with, if
   * any.
   */
  public Optional<Integer> onCall(String operation) {
    return call(operation).failWith();
  }

  /**
   * Counts a call of the operation, waits its latency, and tells what to do with it: fail it with
   * a status, carry it out and drop its reply, or drop the connection without carrying it out.
   */
  public Call call(String operation) {
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
    Optional<Integer> failWith = planned == null ? Optional.empty() : Optional.ofNullable(planned.get(nth));
    Set<Integer> reset = resets.get(operation);
    boolean resetBefore = failWith.isEmpty() && reset != null && reset.contains(nth);
    Set<Integer> dropped = droppedReplies.get(operation);
    boolean dropReply = failWith.isEmpty() && !resetBefore && dropped != null && dropped.contains(nth);
    return new Call(failWith, dropReply, resetBefore);
  }

  /** How many times the operation was called. */
  public int calls(String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }
}
