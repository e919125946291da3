package dev.silo.sandbox.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.sandbox.netlify.NetlifySandbox.EnvValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetlifySandboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BRANCH = "silo/acme-crm";

  private final HttpClient http = HttpClient.newHttpClient();
  private NetlifySandbox sandbox;
  private boolean violationsExpected;

  @BeforeEach
  void start() throws Exception {
    sandbox = NetlifySandbox.builder(NetlifySpec.locate())
        .token("test-token")
        .siteName("acme-web")
        .buildStep(Duration.ofMillis(20))
        .retryAfter(Duration.ofSeconds(9))
        .start();
  }

  @AfterEach
  void stop() {
    sandbox.close();
    if (!violationsExpected) {
      assertThat(sandbox.violations()).isEmpty();
    }
  }

  @Test
  void givenNoBearerToken_whenGetSite_itShouldAnswer401() throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(sandbox.url() + "/sites/" + sandbox.siteId())).build(),
        BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).get("message").asText()).contains("Access Denied");
  }

  @Test
  void givenRateLimitsEnforced_whenABurstPassesTheMinutesAllowance_itShouldAnswer429WithRetryAfterAndCountIt()
      throws Exception {
    sandbox.close();
    sandbox = NetlifySandbox.builder(NetlifySpec.locate()).token("test-token").ratePerMinute(5).start();
    for (int i = 0; i < 5; i++) {
      assertThat(send("GET", "/sites/" + sandbox.siteId(), null).status).isEqualTo(200);
    }
    assertThat(sandbox.rateLimitRefusals()).as("nothing is enforced unless asked").isZero();

    sandbox.enforceRateLimits(true);
    for (int i = 0; i < 5; i++) {
      assertThat(send("GET", "/sites/" + sandbox.siteId(), null).status).isEqualTo(200);
    }
    HttpResponse<String> refused = raw("GET", "/sites/" + sandbox.siteId(), null);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
        assertThat(Integer.parseInt(seconds)).isBetween(1, 12));
    assertThat(sandbox.rateLimitRefusals()).isEqualTo(1);
  }

  @Test
  void givenSite_whenGetSite_itShouldShowTheAccountAndTheAllowedBranches() throws Exception {
    JsonNode site = send("GET", "/sites/" + sandbox.siteId(), null).body;

    assertThat(site.get("name").asText()).isEqualTo("acme-web");
    assertThat(site.get("account_id").asText()).isEqualTo(sandbox.accountId());
    assertThat(site.at("/build_settings/allowed_branches").toString()).isEqualTo("[\"main\"]");
  }

  @Test
  void givenBuildSettings_whenUpdateSite_itShouldReplaceTheAllowedBranchesWithinTheSpec() throws Exception {
    Reply reply = send("PATCH", "/sites/" + sandbox.siteId(),
        "{\"build_settings\":{\"allowed_branches\":[\"main\",\"" + BRANCH + "\"]}}");

    assertThat(reply.status).isEqualTo(200);
    assertThat(sandbox.allowedBranches()).containsExactly("main", BRANCH);
    assertThat(sandbox.sitePatches()).isEqualTo(1);
  }

  @Test
  void givenProductionValue_whenSetBranchValue_itShouldKeepTheProductionValue() throws Exception {
    sandbox.defineEnvValue("VITE_APP_ENV", new EnvValue("production", null, "production"));
    String path = "/accounts/" + sandbox.accountId() + "/env/VITE_APP_ENV?site_id=" + sandbox.siteId();

    Reply first = send("PATCH", path,
        "{\"context\":\"branch\",\"context_parameter\":\"" + BRANCH + "\",\"value\":\"dev\"}");
    Reply second = send("PATCH", path,
        "{\"context\":\"branch\",\"context_parameter\":\"" + BRANCH + "\",\"value\":\"development\"}");

    assertThat(first.status).isEqualTo(201);
    assertThat(second.status).isEqualTo(201);
    assertThat(sandbox.envVars().get("VITE_APP_ENV")).containsExactly(
        new EnvValue("production", null, "production"),
        new EnvValue("branch", BRANCH, "development"));
    assertThat(sandbox.envWrites()).isEqualTo(2);
  }

  @Test
  void givenExistingVariable_whenCreateItAgain_itShouldRefuseWithAMessage() throws Exception {
    String path = "/accounts/" + sandbox.accountId() + "/env?site_id=" + sandbox.siteId();
    String body = "[{\"key\":\"VITE_API_URL\",\"values\":[{\"context\":\"branch\","
        + "\"context_parameter\":\"" + BRANCH + "\",\"value\":\"https://rest\"}]}]";

    Reply created = send("POST", path, body);
    Reply again = send("POST", path, body);

    assertThat(created.status).isEqualTo(201);
    assertThat(again.status).isEqualTo(409);
    assertThat(again.body.get("message").asText()).contains("VITE_API_URL already exists");
    assertThat(send("GET", path, null).body.get(0).get("values").get(0).get("context_parameter").asText())
        .isEqualTo(BRANCH);
  }

  @Test
  void givenBuild_itShouldMoveItsDeployFromNewThroughBuildingToReady() throws Exception {
    sandbox.close();
    sandbox = NetlifySandbox.builder(NetlifySpec.locate()).token("test-token")
        .buildStep(Duration.ofMillis(200)).start();
    Reply build = send("POST", "/sites/" + sandbox.siteId() + "/builds?branch=" + BRANCH + "&title=first", null);
    String deployId = build.body.get("deploy_id").asText();

    List<String> states = statesUntilDone(deployId);

    assertThat(states).first().isEqualTo("new");
    assertThat(states).contains("building").last().isEqualTo("ready");
    JsonNode listed = send("GET", "/sites/" + sandbox.siteId() + "/deploys?branch=" + BRANCH, null).body;
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("title").asText()).isEqualTo("first");
    assertThat(listed.get(0).get("build_id").asText()).isEqualTo(build.body.get("id").asText());
  }

  @Test
  void givenFailNextBuild_itShouldEndThatDeployInErrorAndLetTheNextOneSucceed() throws Exception {
    sandbox.failNextBuild("Build script returned non-zero exit code: 2");

    String failed = send("POST", "/sites/" + sandbox.siteId() + "/builds?branch=" + BRANCH, null)
        .body.get("deploy_id").asText();
    String next = send("POST", "/sites/" + sandbox.siteId() + "/builds?branch=" + BRANCH, null)
        .body.get("deploy_id").asText();

    assertThat(statesUntilDone(failed)).last().isEqualTo("error");
    assertThat(send("GET", "/deploys/" + failed, null).body.get("error_message").asText())
        .isEqualTo("Build script returned non-zero exit code: 2");
    assertThat(statesUntilDone(next)).last().isEqualTo("ready");
  }

  @Test
  void givenEndNextBuildCanceled_itShouldEndThatDeployCanceledAndLetTheNextOneSucceed() throws Exception {
    sandbox.endNextBuild("canceled");

    String canceled = send("POST", "/sites/" + sandbox.siteId() + "/builds?branch=" + BRANCH, null)
        .body.get("deploy_id").asText();
    String next = send("POST", "/sites/" + sandbox.siteId() + "/builds?branch=" + BRANCH, null)
        .body.get("deploy_id").asText();

    assertThat(statesUntilDone(canceled)).last().isEqualTo("canceled");
    assertThat(send("GET", "/deploys/" + canceled, null).body.has("error_message")).isFalse();
    assertThat(statesUntilDone(next)).last().isEqualTo("ready");
  }

  @Test
  void givenInjected429_whenCalled_itShouldAnswerWithRetryAfterOnlyForThatCall() throws Exception {
    sandbox.faults().failCall(NetlifySandbox.GET_SITE, 1, 429);

    HttpResponse<String> limited = raw("GET", "/sites/" + sandbox.siteId(), null);
    HttpResponse<String> next = raw("GET", "/sites/" + sandbox.siteId(), null);

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("9");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(sandbox.faults().calls(NetlifySandbox.GET_SITE)).isEqualTo(2);
  }

  @Test
  void givenADroppedReply_whenAConfigurationWriteIsMade_itShouldApplyItAndCloseTheConnectionWithoutAnAnswer()
      throws Exception {
    sandbox.faults().dropReply(NetlifySandbox.CREATE_ENV_VARS, 1);
    String env = "/accounts/" + sandbox.accountId() + "/env?site_id=" + sandbox.siteId();

    assertThatThrownBy(() -> raw("POST", env,
        "[{\"key\":\"VITE_SUPABASE_URL\",\"values\":[{\"context\":\"branch\",\"context_parameter\":\""
            + BRANCH + "\",\"value\":\"https://acme-crm-rest.fly.dev\"}]}]"))
        .isInstanceOf(IOException.class);

    assertThat(sandbox.envVars()).containsOnlyKeys("VITE_SUPABASE_URL");
    assertThat(sandbox.envWrites()).isEqualTo(1);
    Reply next = send("PATCH", "/sites/" + sandbox.siteId(),
        "{\"build_settings\":{\"allowed_branches\":[\"main\",\"" + BRANCH + "\"]}}");
    assertThat(next.status).isEqualTo(200);
    assertThat(sandbox.configurationWrites()).isEqualTo(2);
  }

  @Test
  void givenAReset_whenAConfigurationWriteIsMade_itShouldCloseTheConnectionWithoutApplyingIt() throws Exception {
    sandbox.faults().resetBefore(NetlifySandbox.CREATE_ENV_VARS, 1);
    String env = "/accounts/" + sandbox.accountId() + "/env?site_id=" + sandbox.siteId();

    assertThatThrownBy(() -> raw("POST", env,
        "[{\"key\":\"VITE_SUPABASE_URL\",\"values\":[{\"context\":\"branch\",\"context_parameter\":\""
            + BRANCH + "\",\"value\":\"https://acme-crm-rest.fly.dev\"}]}]"))
        .isInstanceOf(IOException.class);

    assertThat(sandbox.envVars()).isEmpty();
    assertThat(sandbox.envWrites()).isZero();
  }

  @Test
  void givenRequestTheSpecRejects_itShouldRecordTheViolation() throws Exception {
    violationsExpected = true;

    send("POST", "/accounts/" + sandbox.accountId() + "/env?site_id=" + sandbox.siteId(),
        "[{\"key\":\"A\",\"values\":[{\"context\":\"preview\",\"value\":\"x\"}]}]");
    send("PATCH", "/sites/" + sandbox.siteId(), "{\"build_settings\":{\"allowed_branch\":[\"main\"]}}");

    assertThat(sandbox.violations()).hasSize(2);
    assertThat(sandbox.violations().get(0).messages()).contains("context");
    assertThat(sandbox.violations().get(1).messages()).contains("allowed_branch");
  }

  private List<String> statesUntilDone(String deployId) throws Exception {
    List<String> states = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      String state = send("GET", "/deploys/" + deployId, null).body.get("state").asText();
      if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
        states.add(state);
      }
      if (!state.equals("new") && !state.equals("building")) {
        return states;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("deploy " + deployId + " never finished: " + states);
  }

  private record Reply(int status, JsonNode body) {}

  private Reply send(String method, String path, String body) throws Exception {
    HttpResponse<String> response = raw(method, path, body);
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }

  private HttpResponse<String> raw(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.url() + path))
        .header("Authorization", "Bearer test-token");
    if (body == null) {
      request.method(method, BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body));
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }
}
