package dev.silo.workflows.command;

/**
 * How a command ended. A non-zero exit code is a result, not a failure: the workflow decides what
 * it means (a {@code blocking} step stops the environment).
 *
 * @param exitCode the exit code of {@code bash}; after a timeout, the code of the killed process
 *     (137 for SIGKILL)
 * @param durationMillis how long the command ran, checkout excluded
 * @param outputTail the last 4 KB of standard output and error interleaved, with the values of
 *     the passed-through variables replaced by {@code ***}
 * @param timedOut whether the command was killed because it exceeded its timeout
 */
public record CommandResult(int exitCode, long durationMillis, String outputTail, boolean timedOut) {

  /** Whether the command ran to its end and exited with 0. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
