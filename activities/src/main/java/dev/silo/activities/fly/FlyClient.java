package dev.silo.activities.fly;

import dev.silo.activities.http.CallerHeader;
import dev.silo.activities.http.IdleConnections;
import dev.silo.activities.http.RetryAfter;
import dev.silo.activities.http.VendorStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A thin typed client of Fly.io: the GraphQL API for organizations, the Machines API ({@code
 * /v1}) for apps and machines.
 *
 * <p>Every error is classified here, once, into an {@link ApplicationFailure}: a 4xx other than
 * 408/429 is {@code VENDOR_REJECTED} and not retried; 408, 429, 5xx and I/O errors are {@code
 * VENDOR_UNAVAILABLE} and retried, after the Retry-After of a 429 or 503 when there is one. Every
 * request first waits its turn under Fly's rate limits ({@link FlyRateLimits}), and a 429 asking
 * for a short wait is waited out and resent inside the call. The
 * answers a caller must act on instead (an app or organization that does not exist, a name already
 * taken, a wait that timed out) are returned as values. Messages carry Fly's own explanation, never
 * the token.
 *
 * <p>It is one unit over 300 lines because it is one vendor's API surface with one error
 * classification; split, the classification would be repeated or drift apart.
 */
final class FlyClient {

  /** A Fly organization. */
  record Organization(String id, String slug, String name) {}

  /** A Fly app and the slug of the organization it belongs to. */
  record App(String name, String orgSlug) {}

  /** One of a machine's checks as Fly reports it ({@code passing}, {@code warning}, {@code critical}). */
  record Check(String name, String status, String output) {}

  /**
   * A machine as Fly reports it.
   *
   * @param config the machine's config ({@code api.MachineConfig})
   */
  record Machine(String id, String state, String region, String instanceId, JsonNode config, List<Check> checks) {

    /** The hash of the config the machine was deployed with, or null. */
    String configHash() {
      JsonNode hash = config.path("metadata").path(MachineConfigMapper.CONFIG_HASH_KEY);
      return hash.isTextual() ? hash.asText() : null;
    }
  }

  /** How a create-app request ended, when it did not fail. */
  sealed interface AppCreation {}

  record AppCreated() implements AppCreation {}

  /** Fly refused the name with 409 or 422 (taken, or created concurrently). */
  record AppNameRefused(int status, String message) implements AppCreation {}

  static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  private static final int MAX_MESSAGE = 500;

  private final OkHttpClient http;
  private final HttpUrl machinesApi;
  private final HttpUrl graphql;
  private final FlyToken token;
  private final ObjectMapper json;
  private final FlyRateLimits limits = new FlyRateLimits();

  /**
   * @param http the HTTP client; its read timeout must exceed the longest machine wait (60 s)
   * @param machinesApi the Machines API's base URL, without {@code /v1}
   * @param graphql the GraphQL endpoint
   */
  FlyClient(OkHttpClient http, HttpUrl machinesApi, HttpUrl graphql, FlyToken token, ObjectMapper json) {
    this.http = http;
    this.machinesApi = machinesApi;
    this.graphql = graphql;
    this.token = token;
    this.json = json;
  }

  /**
   * An HTTP client whose read timeout leaves room for a 60-second machine wait, and which never
   * repeats a request by itself: OkHttp would otherwise resend any request answered 408 (a machine
   * wait that timed out) or cut off mid-way (a create that may have succeeded). Retrying is
   * Temporal's job, after the look-up that makes it safe.
   */
  static OkHttpClient defaultHttpClient() {
    return new OkHttpClient.Builder()
        .retryOnConnectionFailure(false)
        .connectionPool(IdleConnections.pool())
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(75))
        .writeTimeout(Duration.ofSeconds(30))
        .build();
  }

  // GraphQL: organizations.

  /** Looks an organization up by slug; empty when Fly does not know it. */
  Optional<Organization> organization(String slug) {
    ObjectNode variables = json.createObjectNode().put("slug", slug);
    JsonNode answer = graphql("look up organization " + slug,
        "query($slug: String!) { organization(slug: $slug) { id slug name } }", variables, true);
    JsonNode org = answer.path("data").path("organization");
    return org.isObject() ? Optional.of(organization(org)) : Optional.empty();
  }

  /** Creates an organization; Fly derives its slug from the name. */
  Organization createOrganization(String name) {
    ObjectNode variables = json.createObjectNode();
    variables.putObject("input").put("name", name);
    JsonNode answer = graphql("create organization " + name,
        "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {"
            + " organization { id slug name } } }",
        variables, false);
    JsonNode org = answer.path("data").path("createOrganization").path("organization");
    if (!org.isObject()) {
      throw ApplicationFailure.newFailure("Fly create organization " + name + " answered without the organization",
          FailureType.VENDOR_UNAVAILABLE.type());
    }
    return organization(org);
  }

  /**
   * Deletes an organization by its ID ({@code deleteOrganization}); false when Fly no longer knows
   * it. Fly refuses an organization that still holds apps (a non-retryable {@code VENDOR_REJECTED}).
   */
  boolean deleteOrganization(Organization org) {
    ObjectNode variables = json.createObjectNode();
    variables.putObject("input").put("organizationId", org.id());
    JsonNode answer = graphql("delete organization " + org.slug(),
        "mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { deletedOrganizationId } }",
        variables, true);
    return answer.path("data").path("deleteOrganization").isObject();
  }

  // Machines API: apps.

  /** The names of the organization's apps ({@code GET /v1/apps?org_slug=}). */
  List<String> appNames(String orgSlug) {
    String operation = "list apps of " + orgSlug;
    HttpUrl url = machinesApi.newBuilder().addPathSegments("v1/apps").addQueryParameter("org_slug", orgSlug).build();
    try (Response response = execute(operation, request(url).get().build())) {
      List<String> names = new ArrayList<>();
      body(operation, response).path("apps").forEach(app -> names.add(app.path("name").asText()));
      return names;
    }
  }

  /** The app, or empty when Fly answers 404. */
  Optional<App> app(String name) {
    String operation = "get app " + name;
    try (Response response = execute(operation, request(appUrl(name)).get().build())) {
      if (response.code() == 404) {
        return Optional.empty();
      }
      JsonNode app = body(operation, response);
      return Optional.of(new App(app.path("name").asText(name), app.path("organization").path("slug").asText(null)));
    }
  }

  /**
   * Creates an app. The body names the app twice: {@code app_name} as the 2024-01 spec and the
   * Machines API docs have it, and {@code name} as newer clients (fly-go's flaps) send it, so that
   * either generation of the API reads it.
   */
  AppCreation createApp(String name, String orgSlug) {
    String operation = "create app " + name;
    ObjectNode body = json.createObjectNode().put("app_name", name).put("name", name).put("org_slug", orgSlug);
    HttpUrl url = machinesApi.newBuilder().addPathSegments("v1/apps").build();
    try (Response response = execute(operation, request(url).post(jsonBody(body)).build())) {
      if (response.code() == 409 || response.code() == 422) {
        return new AppNameRefused(response.code(), vendorMessage(readText(operation, response)));
      }
      body(operation, response);
      return new AppCreated();
    }
  }

  /** Destroys an app with its machines; false when Fly answers 404 (already gone). */
  boolean deleteApp(String name) {
    String operation = "destroy app " + name;
    try (Response response = execute(operation, request(appUrl(name)).delete().build())) {
      if (response.code() == 404) {
        return false;
      }
      body(operation, response);
      return true;
    }
  }

  // Machines API: machines.

  List<Machine> machines(String app) {
    String operation = "list machines of " + app;
    try (Response response = execute(operation, request(machinesUrl(app).build()).get().build())) {
      List<Machine> machines = new ArrayList<>();
      body(operation, response).forEach(machine -> machines.add(machine(machine)));
      return machines;
    }
  }

  Machine machine(String app, String machineId) {
    String operation = "get machine " + machineId + " of " + app;
    try (Response response = execute(operation, request(machineUrl(app, machineId).build()).get().build())) {
      return machine(body(operation, response));
    }
  }

  Machine createMachine(String app, MachinePlan plan) {
    String operation = "create machine of " + app;
    try (Response response = execute(operation, request(machinesUrl(app).build()).post(jsonBody(machineRequest(plan))).build())) {
      return machine(body(operation, response));
    }
  }

  Machine updateMachine(String app, String machineId, MachinePlan plan) {
    String operation = "update machine " + machineId + " of " + app;
    try (Response response = execute(operation,
        request(machineUrl(app, machineId).build()).post(jsonBody(machineRequest(plan))).build())) {
      return machine(body(operation, response));
    }
  }

  void startMachine(String app, String machineId) {
    String operation = "start machine " + machineId + " of " + app;
    HttpUrl url = machineUrl(app, machineId).addPathSegment("start").build();
    try (Response response = execute(operation, request(url).post(RequestBody.create(new byte[0], null)).build())) {
      body(operation, response);
    }
  }

  /**
   * Stops a machine ({@code Machines_stop}) with Fly's default signal and timeout: the body is the
   * spec's optional {@code StopRequest}, empty.
   */
  void stopMachine(String app, String machineId) {
    String operation = "stop machine " + machineId + " of " + app;
    HttpUrl url = machineUrl(app, machineId).addPathSegment("stop").build();
    try (Response response = execute(operation, request(url).post(jsonBody(json.createObjectNode())).build())) {
      body(operation, response);
    }
  }

  /**
   * Waits, on Fly's side, until the machine is in the state.
   *
   * @param instanceId the version of the machine's config to wait for, or null for any
   * @param timeoutSeconds how long Fly waits, 1 to 60
   * @return false when the wait timed out (Fly answers 408)
   */
  boolean waitForState(String app, String machineId, String instanceId, String state, int timeoutSeconds) {
    String operation = "wait for machine " + machineId + " of " + app + " to be " + state;
    HttpUrl.Builder url = machineUrl(app, machineId).addPathSegment("wait")
        .addQueryParameter("state", state)
        .addQueryParameter("timeout", String.valueOf(timeoutSeconds));
    if (instanceId != null) {
      url.addQueryParameter("instance_id", instanceId);
    }
    try (Response response = execute(operation, request(url.build()).get().build())) {
      if (response.code() == 408) {
        return false;
      }
      body(operation, response);
      return true;
    }
  }

  // Plumbing.

  private JsonNode graphql(String operation, String query, ObjectNode variables, boolean notFoundIsAnswer) {
    ObjectNode body = json.createObjectNode().put("query", query);
    body.set("variables", variables);
    try (Response response = execute(operation, request(graphql).post(jsonBody(body)).build())) {
      JsonNode answer = body(operation, response);
      JsonNode errors = answer.path("errors");
      if (!errors.isArray() || errors.isEmpty()) {
        return answer;
      }
      boolean allNotFound = true;
      List<String> messages = new ArrayList<>();
      for (JsonNode error : errors) {
        messages.add(error.path("message").asText("unknown error"));
        allNotFound &= "NOT_FOUND".equals(error.path("extensions").path("code").asText());
      }
      if (notFoundIsAnswer && allNotFound) {
        return answer;
      }
      throw ApplicationFailure.newNonRetryableFailure(
          message(operation, "GraphQL errors: " + String.join("; ", messages)), FailureType.VENDOR_REJECTED.type());
    }
  }

  private Request.Builder request(HttpUrl url) {
    return CallerHeader.onto(new Request.Builder()).url(url)
        .header("Authorization", token.authorization())
        .header("Accept", "application/json");
  }

  /**
   * Sends the request; a read (GET) whose connection failed is sent once more at once, on another
   * connection, since reading twice changes nothing on Fly and a kept-alive connection the server
   * has just closed is the usual cause. Any other request is never resent here: a create cut off
   * mid-way may have been carried out, and retrying it is Temporal's job after the look-up.
   */
  private Response sendOnce(Request request) throws IOException {
    try {
      return http.newCall(request).execute();
    } catch (IOException firstAttempt) {
      if (!"GET".equals(request.method())) {
        throw firstAttempt;
      }
      return http.newCall(request).execute();
    }
  }

  /**
   * Sends the request in its turn under Fly's rate limits. A 429 whose {@code Retry-After} fits
   * within {@link RetryAfter#MAX_IN_CALL} is waited out and the request sent again (Fly carried
   * nothing out); any other answer is returned for the caller to read.
   */
  private Response execute(String operation, Request request) {
    try {
      return RetryAfter.send(() -> {
        limits.acquire(request);
        return sendOnce(request);
      });
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(message(operation, "I/O error: " + e.getMessage()),
          FailureType.VENDOR_UNAVAILABLE.type(), e);
    }
  }

  /** The JSON body of a 2xx answer; any other status is classified and thrown. */
  private JsonNode body(String operation, Response response) {
    String text = readText(operation, response);
    if (!response.isSuccessful()) {
      throw failure(operation, response.code(), vendorMessage(text), response.header("Retry-After"));
    }
    if (text.isBlank()) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newFailure(message(operation, "HTTP " + response.code() + " with a body that is not JSON"),
          FailureType.VENDOR_UNAVAILABLE.type());
    }
  }

  private String readText(String operation, Response response) {
    try (ResponseBody body = response.body()) {
      return body == null ? "" : body.string();
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(message(operation, "I/O error reading the answer: " + e.getMessage()),
          FailureType.VENDOR_UNAVAILABLE.type(), e);
    }
  }

  /** The one place an HTTP status becomes a failure type. */
  private ApplicationFailure failure(String operation, int status, String vendorMessage, String retryAfter) {
    String message = message(operation, "HTTP " + status + (vendorMessage.isEmpty() ? "" : ": " + vendorMessage));
    Duration delay = status == 429 || status == 503 ? retryAfter(retryAfter).orElse(null) : null;
    return VendorStatus.failure(status, message, message, delay);
  }

  /** Retry-After as delay-seconds or an HTTP date. */
  static Optional<Duration> retryAfter(String header) {
    return Optional.ofNullable(RetryAfter.delay(header, Instant.now()));
  }

  /** Fly's explanation: the {@code error} of an {@code ErrorResponse}, else the start of the body. */
  private String vendorMessage(String text) {
    if (text.isBlank()) {
      return "";
    }
    try {
      JsonNode body = json.readTree(text);
      if (body.path("error").isTextual()) {
        return truncate(body.path("error").asText());
      }
      if (body.path("errors").isArray()) {
        List<String> messages = new ArrayList<>();
        body.path("errors").forEach(error -> messages.add(error.path("message").asText()));
        return truncate(String.join("; ", messages));
      }
    } catch (JsonProcessingException notJson) {
      // A proxy's HTML or plain-text page: its first characters are the explanation.
    }
    return truncate(text.strip());
  }

  private String message(String operation, String detail) {
    return token.mask("Fly " + operation + " failed: " + detail);
  }

  private static String truncate(String text) {
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
  }

  private RequestBody jsonBody(JsonNode body) {
    try {
      return RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private ObjectNode machineRequest(MachinePlan plan) {
    ObjectNode request = json.createObjectNode();
    if (plan.region() != null) {
      request.put("region", plan.region());
    }
    request.set("config", plan.config());
    return request;
  }

  private HttpUrl appUrl(String app) {
    return machinesApi.newBuilder().addPathSegments("v1/apps").addPathSegment(app).build();
  }

  private HttpUrl.Builder machinesUrl(String app) {
    return machinesApi.newBuilder().addPathSegments("v1/apps").addPathSegment(app).addPathSegment("machines");
  }

  private HttpUrl.Builder machineUrl(String app, String machineId) {
    return machinesUrl(app).addPathSegment(machineId);
  }

  private static Organization organization(JsonNode org) {
    return new Organization(org.path("id").asText(), org.path("slug").asText(), org.path("name").asText());
  }

  private static Machine machine(JsonNode machine) {
    List<Check> checks = new ArrayList<>();
    machine.path("checks").forEach(check -> checks.add(
        new Check(check.path("name").asText(), check.path("status").asText(), check.path("output").asText(""))));
    return new Machine(machine.path("id").asText(), machine.path("state").asText(), machine.path("region").asText(null),
        machine.path("instance_id").asText(null), machine.path("config"), List.copyOf(checks));
  }
}
