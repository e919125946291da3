package dev.silo.client;

/**
 * The Temporal server cannot be used: it does not answer, refuses the credentials, or lacks the
 * namespace. The message is one line meant for an operator's terminal, so callers print it as it
 * is, without a stack trace.
 */
public final class ServerUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int attempts;

  /**
   * Creates the exception with a one-line message, the RPC failure behind it and how many times
   * the server was asked.
   */
  public ServerUnreachableException(String message, Throwable cause, int attempts) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** How many times the server was asked before giving up. */
  public int attempts() {
    return attempts;
  }
}
