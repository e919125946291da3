package dev.silo.workflows.power;

/**
 * One line of a power run's audit: one thing it looked at or acted on.
 *
 * @param at when it was done, from the workflow's clock (ISO-8601)
 * @param system {@code desk}, {@code docker} or {@code fly}
 * @param target what was acted on: a container, a machine ({@code app/machine}), the silo's status
 * @param outcome what happened, in a word or two: {@code stopped}, {@code already stopped}, {@code
 *     started}, {@code already running}, {@code absent}, {@code skipped}, {@code failed}, {@code
 *     written}, {@code read}
 * @param detail the states before and after, or why it failed; may be null
 */
public record PowerEntry(String at, String system, String target, String outcome, String detail) {

  /** Whether the entry records something left not as asked. */
  public boolean failed() {
    return "failed".equals(outcome);
  }
}
