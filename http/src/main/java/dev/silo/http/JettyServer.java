package dev.silo.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One Jetty 12 server on one host and port, the way every HTTP server of this project starts: the
 * worker's codec and metrics endpoints, and the sandbox's emulators. It listens once {@link
 * #start} returns, on daemon threads (a server never keeps a JVM alive), answers without a {@code
 * Server} header, and {@link #close} stops it, cutting off requests in flight.
 */
public final class JettyServer implements AutoCloseable {

  /** The loopback address the emulators listen on. */
  public static final String LOOPBACK = "127.0.0.1";

  /**
   * Threads per server, Jetty's default: the emulators serve many concurrent long polls (a Fly
   * machine wait blocks its thread up to a minute); threads are made when needed and idle out.
   */
  private static final int MAX_THREADS = 200;

  private final Server server;
  private final ServerConnector connector;
  private final String host;

  private JettyServer(Server server, ServerConnector connector, String host) {
    this.server = server;
    this.connector = connector;
    this.host = host;
  }

  /**
   * Listens on {@code host:port} and hands every request to {@code handler}.
   *
   * @param host the address to listen on, as given (a name or a literal)
   * @param port the port, 0 for any free one
   * @param name names the server's threads
   * @throws BindException when the port is taken or the address is not this machine's
   * @throws IOException when the server cannot listen for another reason
   */
  public static JettyServer start(String host, int port, String name, Handler handler) throws IOException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(handler, "handler");
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
    threads.setName(name);
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // One acceptor and one selector whatever the core count: these servers answer a few clients.
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(handler);
    try {
      server.start();
    } catch (Exception e) {
      stop(server);
      if (e.getCause() instanceof BindException bind) {
        throw bind;
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getMessage(), e);
    }
    return new JettyServer(server, connector, host);
  }

  /**
   * Listens on a free loopback port.
   *
   * @param name names the server's threads and the error when it cannot start
   * @throws UncheckedIOException when no loopback port can be had
   */
  public static JettyServer loopback(String name, Handler handler) {
    try {
      return start(LOOPBACK, 0, name, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(name + " could not start", e);
    }
  }

  /** The address listened on, as given to {@link #start}. */
  public String host() {
    return host;
  }

  /** The port listened on; the one chosen when 0 was asked. */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}, for a host given as a name or an IPv4 literal. */
  public String url() {
    return "http://" + host + ":" + port();
  }

  /** Stops listening; requests in flight are cut off. */
  @Override
  public void close() {
    stop(server);
  }

  private static void stop(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping frees the port and the threads; what failed on the way leaves nothing to retry.
    }
  }
}
