package dev.silo.workflows.silo;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the steps produced, by key: the records of the steps that completed, what a step that did
 * not complete had got done when it stopped, and what a compensation left. The next steps read
 * their inputs here, and the report is built from these records alone.
 */
final class StepResults {

  private final Map<StepName, Object> completed = new EnumMap<>(StepName.class);
  private final Map<StepName, Object> stopped = new EnumMap<>(StepName.class);
  private final Map<StepName, Object> compensated = new EnumMap<>(StepName.class);

  /** The record of a completed step; a step only runs once what it needs exists. */
  <T> T get(StepKey<T> key) {
    T result = completed(key);
    if (result == null) {
      throw new IllegalStateException(key.step() + " has not completed");
    }
    return result;
  }

  /** The record of a completed step, or null. */
  <T> T completed(StepKey<T> key) {
    return key.type().cast(completed.get(key.step()));
  }

  /** What the step got done, completed or not; null when it never started. */
  <T> T reached(StepKey<T> key) {
    T result = completed(key);
    return result != null ? result : key.type().cast(stopped.get(key.step()));
  }

  /** What the step's compensation left, or what it got done when nothing compensated it. */
  <T> T afterCompensation(StepKey<T> key) {
    Object result = compensated.get(key.step());
    return result != null ? key.type().cast(result) : reached(key);
  }

  boolean has(StepKey<?> key) {
    return completed.containsKey(key.step());
  }

  <T> void complete(StepKey<T> key, T result) {
    completed.put(key.step(), key.type().cast(result));
  }

  <T> void stoppedWith(StepKey<T> key, T result) {
    stopped.put(key.step(), key.type().cast(result));
  }

  <T> void compensated(StepKey<T> key, T result) {
    compensated.put(key.step(), key.type().cast(result));
  }
}
