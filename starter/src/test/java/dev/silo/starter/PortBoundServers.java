package dev.silo.starter;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;

/**
 * Temporal's in-memory server bound to a free port. The test server cannot bind port 0 and report
 * the port it got, so a free port is chosen first; another process may take it before the server
 * binds it, and then the next free port is tried, a bounded number of times.
 */
final class PortBoundServers {

  private static final int ATTEMPTS = 5;

  /** A started server and the port it listens on. */
  record Started(TestServer.PortBoundTestServer server, int port) {}

  private PortBoundServers() {}

  static Started start() {
    RuntimeException lastTaken = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = freePort();
      try {
        return new Started(TestServer.createPortBoundServer(port, true), port);
      } catch (RuntimeException e) {
        if (!boundElsewhere(e)) {
          throw e;
        }
        lastTaken = e;
      }
    }
    throw lastTaken;
  }

  /** True when the port was taken; gRPC's epoll transport words it instead of throwing BindException. */
  private static boolean boundElsewhere(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException
          || (cause.getMessage() != null && cause.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
