package dev.silo.starter.command;

/**
 * A failure the user can act on: its message is printed as one line, without a stack trace, and
 * the CLI exits with its code.
 */
public final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  public static CliException badInput(String message) {
    return new CliException(ExitCodes.BAD_INPUT, message);
  }

  /** The run failed, was rejected or aborted: exit code 1. */
  public static CliException runFailed(String message) {
    return new CliException(ExitCodes.RUN_FAILED, message);
  }

  public static CliException unavailable(String message) {
    return new CliException(ExitCodes.UNAVAILABLE, message);
  }
}
