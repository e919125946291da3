package dev.silo.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for tests: the test server cannot report the port it bound, so one is chosen first. */
final class FreePorts {

  private FreePorts() {}

  /** A port that was free a moment ago and is closed now. */
  static int next() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
