package dev.silo.starter;

/** No worker answered the run's progress query in time, or the server refused to ask it. */
final class ProgressUnavailableException extends RuntimeException {

  ProgressUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
