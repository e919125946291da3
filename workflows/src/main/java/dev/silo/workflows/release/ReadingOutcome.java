package dev.silo.workflows.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What one reading of a rollback trigger says; history and reports write it in lower case. */
public enum ReadingOutcome {
  /** The trigger holds. */
  GOOD("good"),
  /** The trigger is breached. */
  BAD("bad"),
  /** The trigger could not be read, which is never evidence that the version is healthy. */
  INCONCLUSIVE("inconclusive");

  private final String id;

  ReadingOutcome(String id) {
    this.id = id;
  }

  /** The outcome as history and reports write it, such as {@code inconclusive}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** The outcome of an {@link #id()}. */
  @JsonCreator
  public static ReadingOutcome of(String id) {
    return Arrays.stream(values()).filter(outcome -> outcome.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no reading outcome is called " + id));
  }

  @Override
  public String toString() {
    return id;
  }
}
