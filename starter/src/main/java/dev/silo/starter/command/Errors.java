package dev.silo.starter.command;

import io.grpc.StatusRuntimeException;
import io.temporal.failure.TemporalFailure;

/** One-line descriptions of exceptions from the Temporal client, for people. */
public final class Errors {

  private Errors() {}

  /**
   * The most telling message in a cause chain: a gRPC status description or a failure's original
   * message, rather than the client's wrapper that only names the workflow.
   */
  public static String message(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status) {
        String description = status.getStatus().getDescription();
        return status.getStatus().getCode() + (description == null ? "" : ": " + description);
      }
      if (cause instanceof TemporalFailure failure) {
        return failure.getOriginalMessage();
      }
    }
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : error.getMessage();
    return message != null ? message.lines().findFirst().orElse(message) : root.getClass().getSimpleName();
  }
}
