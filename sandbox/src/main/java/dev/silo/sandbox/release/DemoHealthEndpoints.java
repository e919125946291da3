package dev.silo.sandbox.release;

import dev.silo.http.Handlers;
import dev.silo.http.JettyServer;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

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

  private static final String DATABASE = ENDPOINTS.get(0);
  private static final String ROW_SECURITY = ENDPOINTS.get(1);

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
  private final Map<String, JettyServer> servers = new LinkedHashMap<>();
  private final Map<String, Set<String>> answeredOk = new ConcurrentHashMap<>();

  private DemoHealthEndpoints(Databases databases) {
    this.databases = databases;
  }

  /** Starts one server per environment, each on a free loopback port. */
  public static DemoHealthEndpoints start(Databases databases, List<String> environments) {
    DemoHealthEndpoints endpoints = new DemoHealthEndpoints(databases);
    try {
      for (String environment : environments) {
        endpoints.answeredOk.put(environment, ConcurrentHashMap.newKeySet());
        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(PathSpec.from(DATABASE), endpoints.check(environment, DATABASE, endpoints::databaseProblem));
        routes.addMapping(PathSpec.from(ROW_SECURITY),
            endpoints.check(environment, ROW_SECURITY, endpoints::rowSecurityProblem));
        routes.addMapping(PathSpec.from("/health/*"),
            Handlers.blocking((request, response, callback) -> send(response, callback, 404, "not found")));
        endpoints.servers.put(environment, JettyServer.loopback("the demo's health endpoints", routes));
      }
      return endpoints;
    } catch (RuntimeException e) {
      endpoints.close();
      throw e;
    }
  }

  /** The base URL of an environment's endpoints, as its environment file names it. */
  public String baseUrl(String environment) {
    return servers.get(environment).url();
  }

  /** Whether every endpoint of the environment has answered 200 at least once. */
  public boolean passedOnce(String environment) {
    return answeredOk.get(environment).containsAll(ENDPOINTS);
  }

  /** A GET of {@code path}, answered 200 when {@code problem} finds none, else 503 with it. */
  private Handler check(String environment, String path, Function<String, String> problem) {
    return Handlers.blocking((request, response, callback) -> {
      if (!"GET".equals(request.getMethod())) {
        send(response, callback, 404, "not found");
        return;
      }
      String found = problem.apply(environment);
      if (found == null) {
        answeredOk.get(environment).add(path);
        send(response, callback, 200, "ok");
      } else {
        send(response, callback, 503, found);
      }
    });
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

  private static void send(Response response, Callback callback, int status, String text) {
    Handlers.send(response, callback, status, "text/plain; charset=utf-8", text + "\n");
  }

  @Override
  public void close() {
    servers.values().forEach(JettyServer::close);
  }
}
