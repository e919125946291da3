package dev.silo.sandbox.fly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A fleet's pg apps started at once: each gets its own PostgreSQL, and none waits on another's. */
class PostgresFleetTest {

  private static final int SILOS = 50;
  private static final String TOKEN = "fm2_sandbox-fleet-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(PostgresFleetTest.class);

  private final HttpClient http = HttpClient.newHttpClient();
  private FlySandbox sandbox;

  @AfterEach
  void closeSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void givenFiftyPgApps_whenTheirMachinesStartAtOnce_eachShouldServeItsOwnPostgres() throws Exception {
    sandbox = FlySandbox.builder(FlyMachinesSpec.find(), TOKEN).postgresSpares(SILOS).start();
    createOrg("fleet");
    for (int i = 0; i < SILOS; i++) {
      send("POST", "/v1/apps", JSON.createObjectNode().put("app_name", app(i)).put("org_slug", "fleet"), 201);
    }

    ExecutorService executor = Executors.newFixedThreadPool(SILOS);
    LongSummaryStatistics millis = new LongSummaryStatistics();
    try {
      List<Future<Long>> starts = new ArrayList<>();
      for (int i = 0; i < SILOS; i++) {
        int silo = i;
        starts.add(executor.submit(() -> startMachine(silo)));
      }
      for (Future<Long> start : starts) {
        millis.accept(start.get(5, TimeUnit.MINUTES));
      }
    } finally {
      executor.shutdownNow();
    }

    // Printed for the fleet-speed figures; never asserted, as timings depend on the machine.
    log.info("{} pg machines started at once, state delay {} ms: average {} ms, max {} ms", SILOS,
        FlySandbox.DEFAULT_STATE_DELAY.toMillis(), Math.round(millis.getAverage()), millis.getMax());
    for (int i = 0; i < SILOS; i++) {
      try (Connection connection = connect(i); Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE silo_marker (silo int)");
        statement.execute("INSERT INTO silo_marker VALUES (" + i + ")");
        try (ResultSet roles = statement.executeQuery(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role', 'authenticator')")) {
          roles.next();
          assertThat(roles.getInt(1)).isEqualTo(4);
        }
        try (ResultSet markers = statement.executeQuery("SELECT array_agg(silo) FROM silo_marker")) {
          markers.next();
          assertThat(markers.getString(1)).as("only this app's rows").isEqualTo("{" + i + "}");
        }
      }
    }
    assertThat(sandbox.violations()).isEmpty();
  }

  /** Creates the app's machine and returns how long it took to reach started, in milliseconds. */
  private long startMachine(int silo) throws Exception {
    ObjectNode config = JSON.createObjectNode().put("image", "supabase/postgres:15");
    config.putObject("env").put("POSTGRES_PASSWORD", password(silo));
    ObjectNode service = config.putArray("services").addObject().put("protocol", "tcp").put("internal_port", 5432);
    service.putArray("ports").addObject().put("port", 5432);
    ObjectNode body = JSON.createObjectNode().put("region", "yul");
    body.set("config", config);
    long began = System.nanoTime();
    JsonNode machine = send("POST", "/v1/apps/" + app(silo) + "/machines", body, 200);
    String wait = "/v1/apps/" + app(silo) + "/machines/" + machine.path("id").asText() + "/wait?state=started&timeout=60";
    long deadline = began + TimeUnit.MINUTES.toNanos(5);
    while (raw("GET", wait, null).statusCode() == 408 && System.nanoTime() < deadline) {
      log.debug("{} not started yet", app(silo));
    }
    JsonNode started = send("GET", "/v1/apps/" + app(silo) + "/machines/" + machine.path("id").asText(), null, 200);
    assertThat(started.path("state").asText()).isEqualTo("started");
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
  }

  private Connection connect(int silo) throws Exception {
    Properties credentials = new Properties();
    credentials.setProperty("user", "postgres");
    credentials.setProperty("password", password(silo));
    int port = sandbox.postgresPort(app(silo)).orElseThrow();
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", credentials);
  }

  private static String app(int silo) {
    return "client" + silo + "-crm-pg";
  }

  private static String password(int silo) {
    return "s3cret-" + silo;
  }

  private void createOrg(String org) throws Exception {
    ObjectNode mutation = JSON.createObjectNode()
        .put("query", "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {"
            + " organization { id slug } } }");
    mutation.putObject("variables").putObject("input").put("name", org);
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(sandbox.graphqlUrl()))
        .header("Authorization", "FlyV1 " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(mutation.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(created.body()).at("/data/createOrganization/organization/slug").asText()).isEqualTo(org);
  }

  private JsonNode send(String method, String path, JsonNode body, int expectedStatus) throws Exception {
    HttpResponse<String> response = raw(method, path, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private HttpResponse<String> raw(String method, String path, JsonNode body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.url() + path))
        .header("Authorization", "FlyV1 " + TOKEN).timeout(Duration.ofSeconds(90));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
