package dev.silo.activities.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;

/**
 * How long the vendor clients keep an idle connection for the next request. A server closes a
 * connection idle for its own timeout (Jetty's default, the sandbox's server, is 30 s; load
 * balancers' are often 60 s); a client that keeps it longer may send its next request as the server
 * closes it, and that request fails with "unexpected end of stream". OkHttp's default keeps idle
 * connections 5 minutes, so the clients use this pool instead.
 */
public final class IdleConnections {

  /** The shortest idle timeout a vendor's server is expected to keep. */
  public static final Duration SERVER_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** Enough idle connections for a fleet's requests at once. */
  private static final int MAX_IDLE = 32;

  private IdleConnections() {}

  /** A pool that lets idle connections go at two thirds of {@link #SERVER_IDLE_TIMEOUT}. */
  public static ConnectionPool pool() {
    return new ConnectionPool(MAX_IDLE, SERVER_IDLE_TIMEOUT.toMillis() * 2 / 3, TimeUnit.MILLISECONDS);
  }
}
