package dev.silo.sandbox.release;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The health endpoints of each environment of the release demo, one HTTP server per environment on
 * a loopback port, answering from that environment's real database (reached through {@link
 * Databases}):
 *
 * <ul>
 *   <li>{@code GET /health/db}: 200 when {@code select 1} works, else 503;
 *   <li>{@code GET /health/rls}: 200 when {@code expenses} has row security enabled or does not
 *       exist yet (nothing is deployed, so nothing leaks), 503 when it exists without it.
 * </ul>
 */
public final class DemoHealthEndpoints implements AutoCloseable {

  /** The paths each environment serves. */
  public static final List<String> ENDPOINTS = List.of("/health/db", "/health/rls");

  /** What the endpoints ask of each environment's database. */
  public interface Databases {

    /** The name of the environment's database, as the answer of a failed check names it. */
    String name(String environment);

    /** Whether {@code select 1} works on the environment's database. */
    boolean answers(String environment);

    /**
     * Whether {@code expenses} has row security enabled; empty when the table does not exist.
     *
     * @throws SQLException when the database cannot be read
     */
    Optional<Boolean> expensesRowSecurity(String environment) throws SQLException;
  }

  private final Databases databases;
  private final Map<String, HttpServer> servers = new LinkedHashMap<>();
  private final Map<String, Set<String>> answeredOk = new ConcurrentHashMap<>();

  private DemoHealthEndpoints(Databases databases) {
    this.databases = databases;
  }

  /** Starts one server per environment. */
  public static DemoHealthEndpoints start(Databases databases, List<String> environments) {
    DemoHealthEndpoints endpoints = new DemoHealthEndpoints(databases);
    try {
      for (String environment : environments) {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoints.servers.put(environment, server);
        endpoints.answeredOk.put(environment, ConcurrentHashMap.newKeySet());
        server.createContext("/health/", exchange -> endpoints.answer(environment, exchange));
        server.start();
      }
      return endpoints;
    } catch (IOException e) {
      endpoints.close();
      throw new UncheckedIOException("the demo's health endpoints could not start", e);
    }
  }

  /** The base URL of an environment's endpoints, as its environment file names it. */
  public String baseUrl(String environment) {
    InetSocketAddress address = servers.get(environment).getAddress();
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** Whether every endpoint of the environment has answered 200 at least once. */
  public boolean passedOnce(String environment) {
    return answeredOk.get(environment).containsAll(ENDPOINTS);
  }

  private void answer(String environment, HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod()) || !ENDPOINTS.contains(path)) {
        send(exchange, 404, "not found");
        return;
      }
      String problem = path.equals("/health/db") ? databaseProblem(environment) : rowSecurityProblem(environment);
      if (problem == null) {
        answeredOk.get(environment).add(path);
        send(exchange, 200, "ok");
      } else {
        send(exchange, 503, problem);
      }
    }
  }

  private String databaseProblem(String environment) {
    return databases.answers(environment) ? null : "select 1 failed on " + databases.name(environment);
  }

  private String rowSecurityProblem(String environment) {
    try {
      Optional<Boolean> rowSecurity = databases.expensesRowSecurity(environment);
      return rowSecurity.isEmpty() || rowSecurity.get() ? null : "expenses has row security disabled";
    } catch (SQLException e) {
      return "the database cannot be read: " + e.getMessage();
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    servers.values().forEach(server -> server.stop(0));
  }
}
