package dev.silo.workflows.client;

/**
 * The Temporal server cannot be used: it does not answer, refuses the credentials, or lacks the
 * namespace. The message is one line meant for an operator's terminal, so callers print it as it
 * is, without a stack trace.
 */
public final class ServerUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message and the RPC failure behind it. */
  public ServerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
