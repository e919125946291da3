package dev.silo.starter;

/**
 * A failure the user can act on: its message is printed as one line, without a stack trace, and
 * the CLI exits with its code.
 */
final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static CliException badInput(String message) {
    return new CliException(ExitCodes.BAD_INPUT, message);
  }

  static CliException unavailable(String message) {
    return new CliException(ExitCodes.UNAVAILABLE, message);
  }
}
