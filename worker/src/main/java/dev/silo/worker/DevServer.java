package dev.silo.worker;

import dev.silo.workflows.SiloSearchAttributes;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's own in-memory service, bound to an address and port, with the Silo search attributes
 * registered.
 *
 * <p>It runs in real time (no time skipping), keeps everything in memory only, and has no
 * authentication, so it listens on the loopback interface unless told otherwise. Temporal's {@link
 * TestServer#createPortBoundServer(int, boolean)} listens on every interface and offers no choice of
 * address, so the same services it serves ({@link TestServicesStarter}, the health checks included)
 * are served here from a gRPC server bound to the address asked for. Those classes are public but
 * in Temporal's internal packages, without a compatibility promise: DevServerTest shows an SDK
 * upgrade that changes them.
 */
public final class DevServer implements AutoCloseable {

  /** The custom search attributes registered at start, all of type Keyword. */
  public static final List<SearchAttributeKey<String>> SEARCH_ATTRIBUTES = SiloSearchAttributes.ALL;

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final TestServicesStarter services;
  private final Server grpcServer;
  private final InetAddress bindAddress;
  private final String namespace;

  private DevServer(TestServicesStarter services, Server grpcServer, InetAddress bindAddress, String namespace) {
    this.services = services;
    this.grpcServer = grpcServer;
    this.bindAddress = bindAddress;
    this.namespace = namespace;
  }

  /**
   * Starts the server on {@code port} of the loopback interface and registers {@link
   * #SEARCH_ATTRIBUTES} in {@code namespace}.
   *
   * @throws PortInUseException when another process holds the port
   */
  public static DevServer start(int port, String namespace) {
    return start(InetAddress.getLoopbackAddress(), port, namespace);
  }

  /**
   * Starts the server on {@code port} of {@code bindAddress} (a wildcard address means every
   * interface; port 0, a port the system picks) and registers {@link #SEARCH_ATTRIBUTES} in {@code
   * namespace}.
   *
   * @throws PortInUseException when another process holds the port
   */
  public static DevServer start(InetAddress bindAddress, int port, String namespace) {
    // Time skipping locked, as Temporal's own port-bound server runs it: the server keeps real time.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    Server grpcServer;
    try {
      ServerBuilder<?> builder =
          NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port), InsecureServerCredentials.create());
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
      grpcServer = builder.build().start();
    } catch (IOException | RuntimeException e) {
      services.close();
      if (portTaken(e)) {
        throw new PortInUseException(port, e);
      }
      throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + " port " + port + ": "
          + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
    }
    DevServer server = new DevServer(services, grpcServer, bindAddress, namespace);
    try {
      registerSearchAttributes(server.localAddress(), namespace);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Starts the server on the loopback interface, on a port the system picks, and registers {@link
   * #SEARCH_ATTRIBUTES} in {@code namespace}.
   */
  public static DevServer startOnFreePort(String namespace) {
    return start(InetAddress.getLoopbackAddress(), 0, namespace);
  }

  /** The port it listens on. */
  public int port() {
    return grpcServer.getPort();
  }

  /** The address it listens on; a wildcard address means every interface. */
  public InetAddress bindAddress() {
    return bindAddress;
  }

  /** The namespace the search attributes were registered in. */
  public String namespace() {
    return namespace;
  }

  /**
   * The address a client on this machine uses: the loopback address when the server listens there
   * or on every interface, else the address it is bound to.
   */
  public String localAddress() {
    InetAddress host = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
    String literal = host.getHostAddress();
    return (host instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port();
  }

  /** Stops the server; every workflow and its history is gone afterwards. */
  @Override
  public void close() {
    grpcServer.shutdown();
    try {
      grpcServer.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      services.close();
      grpcServer.shutdownNow();
    }
  }

  /**
   * Registers the attributes through the Operator service over the network, as a client does on a
   * real server.
   */
  private static void registerSearchAttributes(String target, String namespace) {
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
                .setTarget(target)
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
   * True when the port is taken. The JDK transport reports a {@link BindException}, as it does for
   * an address this machine does not have; gRPC's native epoll transport reports an IOException of
   * its own. Both carry the system's wording.
   */
  private static boolean portTaken(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && cause.getMessage().contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
