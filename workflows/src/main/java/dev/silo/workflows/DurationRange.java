package dev.silo.workflows;

import java.time.Duration;

/**
 * The range a duration that a person writes (a CLI option, a config file, a release file) must fall
 * in. A duration that becomes a timer, a timeout or a wait and is out of every sensible range does
 * not fail where it is written: the server refuses the workflow task that uses it, every task of the
 * run fails the same way, and the run can neither finish nor be cancelled. So each one is bounded
 * where it is read, and again by the workflow that receives it.
 *
 * @param min the shortest duration accepted
 * @param max the longest duration accepted
 */
public record DurationRange(Duration min, Duration max) {

  /** Whether the duration is within the range, bounds included; null is not. */
  public boolean contains(Duration duration) {
    return duration != null && duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0;
  }

  /** The range as messages and the README state it, such as {@code from 1m to 720h}. */
  public String describe() {
    return "from " + written(min) + " to " + written(max);
  }

  /**
   * A duration in the units both the CLI and the files accept ({@code h}, {@code m}, {@code s} and,
   * below a second, {@code ms}), such as {@code 720h}, {@code 1h30m} or {@code 0s}.
   */
  public static String written(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder(duration.isNegative() ? "-" : "");
    Duration rest = duration.abs();
    append(text, rest.toHours(), "h");
    append(text, rest.toMinutesPart(), "m");
    append(text, rest.toSecondsPart(), "s");
    append(text, rest.toMillisPart(), "ms");
    return text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount != 0) {
      text.append(amount).append(unit);
    }
  }
}
