package dev.silo.sandbox.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlySandboxTest {

  private static final String TOKEN = "fm2_sandbox-test-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private FlySandbox sandbox;

  @BeforeEach
  void startSandbox() throws IOException {
    sandbox = FlySandbox.builder(FlyMachinesSpec.find(), TOKEN).stateDelay(Duration.ofMillis(50)).start();
  }

  @AfterEach
  void closeSandbox() {
    sandbox.close();
  }

  @Test
  void givenNoOrWrongAuthorization_whenCalled_itShouldAnswer401() throws Exception {
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(sandbox.url() + "/v1/apps/x")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(URI.create(sandbox.url() + "/v1/apps/x"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(bearer.statusCode()).as("a macaroon token goes with the FlyV1 scheme").isEqualTo(401);
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenRateLimitsEnforced_whenOneMachineIsReadPastItsBurst_itShouldAnswer429AndLeaveOtherActionsAlone()
      throws Exception {
    createOrgAndApp("acme", "web");
    String id = send("POST", "/v1/apps/web/machines", body(config("nginx:1"), "yul"), 200).path("id").asText();
    sandbox.enforceRateLimits(true);

    List<Integer> reads = new ArrayList<>();
    HttpResponse<String> last;
    do {
      last = raw("GET", "/v1/apps/web/machines/" + id, null);
      reads.add(last.statusCode());
    } while (last.statusCode() == 200 && reads.size() < 100);

    assertThat(reads.subList(0, 10)).as("Get Machine's burst of 10").containsOnly(200);
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(raw("GET", "/v1/apps/web/machines", null).statusCode()).as("another action").isEqualTo(200);
    assertThat(sandbox.rateLimitRefusals()).isEqualTo(1);
  }

  @Test
  void givenAnApp_whenAMachineIsCreated_itShouldStartWithPassingChecks() throws Exception {
    createOrgAndApp("acme", "web");
    ObjectNode config = config("nginx:1");
    config.putObject("checks").putObject("alive").put("type", "http").put("port", 80).put("path", "/");
    JsonNode machine = send("POST", "/v1/apps/web/machines", body(config, "yul"), 200);
    assertThat(machine.path("state").asText()).isEqualTo("created");

    String id = machine.path("id").asText();
    send("GET", "/v1/apps/web/machines/" + id + "/wait?state=started&timeout=5&instance_id="
        + machine.path("instance_id").asText(), null, 200);

    JsonNode started = send("GET", "/v1/apps/web/machines/" + id, null, 200);
    assertThat(started.path("state").asText()).isEqualTo("started");
    assertThat(started.path("region").asText()).isEqualTo("yul");
    assertThat(started.path("checks").get(0).path("status").asText()).isEqualTo("passing");
    assertThat(sandbox.app("web").orElseThrow().machines()).singleElement()
        .satisfies(state -> assertThat(state.state()).isEqualTo("started"));
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenAStartedMachine_whenStoppedTwiceThenStarted_itShouldGoStoppedOnceAndComeBackTheSameMachine()
      throws Exception {
    createOrgAndApp("acme", "web");
    String id = send("POST", "/v1/apps/web/machines", body(config("nginx:1"), "yul"), 200).path("id").asText();
    send("GET", "/v1/apps/web/machines/" + id + "/wait?state=started&timeout=5", null, 200);

    send("POST", "/v1/apps/web/machines/" + id + "/stop", JSON.createObjectNode(), 200);
    assertThat(send("GET", "/v1/apps/web/machines/" + id, null, 200).path("state").asText())
        .isIn("stopping", "stopped");
    send("GET", "/v1/apps/web/machines/" + id + "/wait?state=stopped&timeout=5", null, 200);
    send("POST", "/v1/apps/web/machines/" + id + "/stop", null, 200);

    assertThat(send("GET", "/v1/apps/web/machines/" + id, null, 200).path("state").asText()).isEqualTo("stopped");
    send("POST", "/v1/apps/web/machines/" + id + "/start", null, 200);
    send("GET", "/v1/apps/web/machines/" + id + "/wait?state=started&timeout=5", null, 200);
    assertThat(sandbox.app("web").orElseThrow().machines()).singleElement()
        .satisfies(state -> assertThat(state.id()).isEqualTo(id))
        .satisfies(state -> assertThat(state.state()).isEqualTo("started"));
    assertThat(sandbox.faults().calls("Machines_stop")).isEqualTo(2);
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenAFailingApp_whenWaitingForStarted_itShouldAnswer408AfterTheTimeout() throws Exception {
    createOrgAndApp("acme", "broken");
    sandbox.setFailing("broken");
    JsonNode machine = send("POST", "/v1/apps/broken/machines", body(config("nginx:1"), "yul"), 200);

    JsonNode timedOut = send("GET", "/v1/apps/broken/machines/" + machine.path("id").asText()
        + "/wait?state=started&timeout=1", null, 408);

    assertThat(timedOut.path("error").asText()).contains("deadline_exceeded");
    assertThat(send("GET", "/v1/apps/broken/machines/" + machine.path("id").asText(), null, 200)
        .path("state").asText()).isEqualTo("failed");
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenARequestTheSpecRejects_whenSent_itShouldBeRecordedAsAViolation() throws Exception {
    createOrgAndApp("acme", "web");

    send("GET", "/v1/apps/web/machines/abc/wait?state=running", null, 400);

    assertThat(sandbox.violations()).singleElement()
        .satisfies(violation -> assertThat(violation.path()).isEqualTo("/v1/apps/web/machines/abc/wait"));
  }

  @Test
  void givenAnInjectedFailure_whenTheNthCallIsMade_itShouldAnswerThatStatusWithRetryAfter() throws Exception {
    createOrgAndApp("acme", "web");
    sandbox.faults().failCall("Apps_show", 2, 503);

    HttpResponse<String> first = raw("GET", "/v1/apps/web", null);
    HttpResponse<String> second = raw("GET", "/v1/apps/web", null);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.headers().firstValue("Retry-After")).hasValue(String.valueOf(FlySandbox.RETRY_AFTER_SECONDS));
  }

  @Test
  void givenADroppedReply_whenTheNthCallIsMade_itShouldCarryItOutAndCloseTheConnectionWithoutAnAnswer()
      throws Exception {
    createOrgAndApp("acme", "web");
    sandbox.faults().dropReply("Apps_create", 2);
    ObjectNode second = JSON.createObjectNode().put("app_name", "api").put("org_slug", "acme");

    assertThatThrownBy(() -> raw("POST", "/v1/apps", second)).isInstanceOf(IOException.class);

    assertThat(sandbox.app("api")).hasValueSatisfying(app -> assertThat(app.org()).isEqualTo("acme"));
    assertThat(sandbox.faults().calls("Apps_create")).isEqualTo(2);
    send("POST", "/v1/apps", JSON.createObjectNode().put("app_name", "db").put("org_slug", "acme"), 201);
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenAReset_whenTheNthCallIsMade_itShouldCloseTheConnectionWithoutCarryingItOut() throws Exception {
    createOrgAndApp("acme", "web");
    sandbox.faults().resetBefore("Apps_create", 2);
    ObjectNode second = JSON.createObjectNode().put("app_name", "api").put("org_slug", "acme");

    assertThatThrownBy(() -> raw("POST", "/v1/apps", second)).isInstanceOf(IOException.class);

    assertThat(sandbox.app("api")).isEmpty();
    send("POST", "/v1/apps", second, 201);
    assertThat(sandbox.app("api")).isPresent();
  }

  @Test
  void givenAPgApp_whenItsMachineStarts_itShouldPublishARealPostgresWithThePassword() throws Exception {
    createOrgAndApp("acme", "acme-pg");
    ObjectNode config = config("supabase/postgres:15");
    config.putObject("env").put("POSTGRES_PASSWORD", "s3cret-'quoted");
    ObjectNode service = config.putArray("services").addObject().put("protocol", "tcp").put("internal_port", 5432);
    service.putArray("ports").addObject().put("port", 5432);
    JsonNode machine = send("POST", "/v1/apps/acme-pg/machines", body(config, "yul"), 200);
    String id = machine.path("id").asText();

    send("GET", "/v1/apps/acme-pg/machines/" + id + "/wait?state=started&timeout=60", null, 200);

    int port = sandbox.postgresPort("acme-pg").orElseThrow();
    JsonNode started = send("GET", "/v1/apps/acme-pg/machines/" + id, null, 200);
    assertThat(started.at("/config/services/0/ports/0/port").asInt()).isEqualTo(port);
    Properties credentials = new Properties();
    credentials.setProperty("user", "postgres");
    credentials.setProperty("password", "s3cret-'quoted");
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
        credentials);
        ResultSet roles = connection.createStatement().executeQuery(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role', 'authenticator')");
        ResultSet uid = connection.createStatement().executeQuery("SELECT auth.uid() IS NULL")) {
      roles.next();
      uid.next();
      assertThat(roles.getInt(1)).isEqualTo(4);
      assertThat(uid.getBoolean(1)).isTrue();
    }

    send("DELETE", "/v1/apps/acme-pg", null, 202);
    assertThat(sandbox.postgresPort("acme-pg")).isEmpty();
    assertThat(sandbox.violations()).isEmpty();
  }

  private void createOrgAndApp(String org, String app) throws Exception {
    ObjectNode mutation = JSON.createObjectNode()
        .put("query", "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {"
            + " organization { id slug } } }");
    mutation.putObject("variables").putObject("input").put("name", org);
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(sandbox.graphqlUrl()))
        .header("Authorization", "FlyV1 " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(mutation.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(created.body()).at("/data/createOrganization/organization/slug").asText()).isEqualTo(org);
    send("POST", "/v1/apps", JSON.createObjectNode().put("app_name", app).put("org_slug", org), 201);
  }

  private static ObjectNode config(String image) {
    return JSON.createObjectNode().put("image", image);
  }

  private static ObjectNode body(ObjectNode config, String region) {
    ObjectNode body = JSON.createObjectNode().put("region", region);
    body.set("config", config);
    return body;
  }

  private JsonNode send(String method, String path, JsonNode body, int expectedStatus) throws Exception {
    HttpResponse<String> response = raw(method, path, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private HttpResponse<String> raw(String method, String path, JsonNode body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.url() + path))
        .header("Authorization", "FlyV1 " + TOKEN);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
