package dev.silo.starter.command;

/** No worker answered the run's progress query in time, or the server refused to ask it. */
public final class ProgressUnavailableException extends RuntimeException {

  ProgressUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
