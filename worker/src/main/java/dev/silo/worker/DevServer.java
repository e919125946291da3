package dev.silo.worker;

import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's own in-memory service, bound to a port, with the Silo search attributes registered.
 *
 * <p>It runs in real time (no time skipping), keeps everything in memory only, and listens on every
 * network interface, because {@link TestServer#createPortBoundServer(int, boolean)} offers no
 * choice of address. It has no authentication.
 */
public final class DevServer implements AutoCloseable {

  /** The custom search attributes registered at start, all of type Keyword. */
  public static final List<SearchAttributeKey<String>> SEARCH_ATTRIBUTES = SiloSearchAttributes.ALL;

  /** How many free ports {@link #startOnFreePort} tries before it gives up. */
  static final int PORT_ATTEMPTS = 5;

  private final TestServer.PortBoundTestServer server;
  private final int port;
  private final String namespace;

  private DevServer(TestServer.PortBoundTestServer server, int port, String namespace) {
    this.server = server;
    this.port = port;
    this.namespace = namespace;
  }

  /**
   * Starts the server on {@code port} and registers {@link #SEARCH_ATTRIBUTES} in {@code
   * namespace}.
   *
   * @throws PortInUseException when another process holds the port
   */
  public static DevServer start(int port, String namespace) {
    TestServer.PortBoundTestServer server;
    try {
      server = TestServer.createPortBoundServer(port, true);
    } catch (RuntimeException e) {
      if (causedByBindFailure(e)) {
        throw new PortInUseException(port, e);
      }
      throw e;
    }
    try {
      registerSearchAttributes(port, namespace);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return new DevServer(server, port, namespace);
  }

  /**
   * Starts the server on a port the system reports free, and registers {@link #SEARCH_ATTRIBUTES}
   * in {@code namespace}. The test server cannot bind port 0 and report the port it got, so a free
   * port is chosen first; another process may take it before the server binds it, and then the
   * next free port is tried, at most {@value #PORT_ATTEMPTS} times.
   *
   * @throws PortInUseException when every port tried was taken before the server could bind it
   */
  public static DevServer startOnFreePort(String namespace) {
    PortInUseException lastTaken = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      try {
        return start(freePort(), namespace);
      } catch (PortInUseException taken) {
        lastTaken = taken;
      }
    }
    throw lastTaken;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the dev server", e);
    }
  }

  /** The port it listens on, on every interface. */
  public int port() {
    return port;
  }

  /** The namespace the search attributes were registered in. */
  public String namespace() {
    return namespace;
  }

  /** The address a client on this machine uses. */
  public String localAddress() {
    return "127.0.0.1:" + port;
  }

  /** Stops the server; every workflow and its history is gone afterwards. */
  @Override
  public void close() {
    server.close();
  }

  /**
   * Registers the attributes through the Operator service over the network, as on a real server:
   * the port-bound test server does not expose its in-process visibility store.
   */
  private static void registerSearchAttributes(int port, String namespace) {
    AddSearchAttributesRequest.Builder request =
        AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
    for (SearchAttributeKey<String> key : SEARCH_ATTRIBUTES) {
      request.putSearchAttributes(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    // validateAndBuildWithDefaults, not build: the operator stubs need the default metrics scope
    // that only the former fills in.
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + port)
                .validateAndBuildWithDefaults());
    try {
      operator
          .blockingStub()
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .addSearchAttributes(request.build());
    } finally {
      operator.shutdown();
      operator.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * True when the port is taken. The JDK transport reports a {@link BindException}; gRPC's native
   * epoll transport reports an IOException of its own whose message carries the system's wording.
   */
  private static boolean causedByBindFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException
          || (cause.getMessage() != null && cause.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
