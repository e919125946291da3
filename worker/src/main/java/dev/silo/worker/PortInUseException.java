package dev.silo.worker;

/** The dev server's port is held by another process. The message is one line for the terminal. */
public final class PortInUseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int port;

  PortInUseException(int port, Throwable cause) {
    super("port " + port + " is in use: stop what holds it or choose --port", cause);
    this.port = port;
  }

  /** The port that could not be bound. */
  public int port() {
    return port;
  }
}
