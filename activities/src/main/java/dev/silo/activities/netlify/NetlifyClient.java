package dev.silo.activities.netlify;

import dev.silo.activities.http.CallerHeader;
import dev.silo.activities.http.RetryAfter;
import dev.silo.activities.http.VendorStatus;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import dev.silo.activities.http.VendorRateLimiter;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The few operations of Netlify's REST API that branch deploys need, typed, named after the
 * operation IDs of Netlify's published spec.
 *
 * <p>Every error is classified here, once: a 4xx other than 408/429 is a non-retryable {@code
 * VENDOR_REJECTED} carrying Netlify's message; 408, 429 and 5xx are a retryable {@code
 * VENDOR_UNAVAILABLE} whose next retry waits for {@code Retry-After} when Netlify sends one; an I/O
 * error is a retryable {@code VENDOR_UNAVAILABLE}. Every request first waits its turn under the
 * worker's rate limit, and a 429 asking for a short wait is waited out and resent inside the call. The token is only ever put in the Authorization
 * header, and is scrubbed from any text Netlify sends back before it lands in a failure.
 */
final class NetlifyClient {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Site(String id, String name, String accountId, BuildSettings buildSettings) {

    List<String> allowedBranches() {
      return buildSettings == null || buildSettings.allowedBranches() == null
          ? List.of()
          : buildSettings.allowedBranches();
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record BuildSettings(List<String> allowedBranches) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record EnvVar(String key, List<EnvValue> values) {}

  /** One value of a variable; {@code id} is Netlify's, absent when creating. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record EnvValue(String id, String context, String contextParameter, String value) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Build(String id, String deployId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Deploy(String id, String buildId, String state, String name, String branch, String title,
      String errorMessage, String deploySslUrl) {}

  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final int MESSAGE_LIMIT = 500;
  private static final int DEPLOYS_PAGE = 100;
  private static final int HTTP_CONFLICT = 409;
  private static final int HTTP_NOT_FOUND = 404;
  private static final int HTTP_NO_CONTENT = 204;
  private static final int NO_STATUS_TOLERATED = -1;

  private final HttpUrl baseUrl;
  private final String token;
  private final OkHttpClient http;
  private final VendorRateLimiter limiter;
  private final ObjectMapper json = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * @param baseUrl the API's base, such as {@code https://api.netlify.com/api/v1}
   * @param token a Netlify personal access token
   * @param limiter the worker's limit on requests to Netlify, taken before each request
   * @throws IllegalArgumentException when the base URL is not an http(s) URL
   */
  NetlifyClient(String baseUrl, String token, OkHttpClient http, VendorRateLimiter limiter) {
    HttpUrl parsed = HttpUrl.parse(baseUrl);
    if (parsed == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
    }
    this.baseUrl = parsed;
    this.token = token;
    this.http = http;
    this.limiter = limiter;
  }

  /** {@code GET /sites/{site_id}}. */
  Site getSite(String siteId) {
    return send("getSite", get(url("sites", siteId)), new TypeReference<>() {});
  }

  /** {@code PATCH /sites/{site_id}} with {@code build_settings.allowed_branches} only. */
  Site updateAllowedBranches(String siteId, List<String> allowedBranches) {
    Map<String, Object> body = Map.of("build_settings", new BuildSettings(allowedBranches));
    return send("updateSite", withBody("PATCH", url("sites", siteId), body), new TypeReference<>() {});
  }

  /** {@code GET /accounts/{account_id}/env?site_id=}: the site's own variables. */
  List<EnvVar> getEnvVars(String accountId, String siteId) {
    HttpUrl url = url("accounts", accountId, "env").newBuilder().addQueryParameter("site_id", siteId).build();
    return send("getEnvVars", get(url), new TypeReference<>() {});
  }

  /**
   * {@code POST /accounts/{account_id}/env?site_id=}: creates variables on the site.
   *
   * @return false when Netlify answered 409 (a variable of one of these keys exists already), which
   *     the caller judges by reading the variables again; true when they were created
   */
  boolean createEnvVars(String accountId, String siteId, List<EnvVar> variables) {
    HttpUrl url = url("accounts", accountId, "env").newBuilder().addQueryParameter("site_id", siteId).build();
    JsonNode conflict = MissingNode.getInstance();
    return send("createEnvVars", withBody("POST", url, variables), new TypeReference<JsonNode>() {},
        HTTP_CONFLICT, conflict) != conflict;
  }

  /**
   * {@code PATCH /accounts/{account_id}/env/{key}?site_id=}: sets the value for one context (and
   * branch), leaving the variable's other values as they are.
   */
  void setEnvVarValue(String accountId, String siteId, String key, EnvValue value) {
    HttpUrl url = url("accounts", accountId, "env", key).newBuilder()
        .addQueryParameter("site_id", siteId).build();
    EnvValue slot = new EnvValue(null, value.context(), value.contextParameter(), value.value());
    send("setEnvVarValue", withBody("PATCH", url, slot), new TypeReference<JsonNode>() {});
  }

  /**
   * {@code DELETE /accounts/{account_id}/env/{key}/value/{id}?site_id=}: deletes one value of a
   * variable, leaving its other values.
   *
   * @return false when Netlify answered 404 (the value, or the variable, is gone already); true
   *     when it deleted the value
   */
  boolean deleteEnvVarValue(String accountId, String siteId, String key, String valueId) {
    HttpUrl url = url("accounts", accountId, "env", key, "value", valueId).newBuilder()
        .addQueryParameter("site_id", siteId).build();
    JsonNode gone = MissingNode.getInstance();
    return send("deleteEnvVarValue", authorized(url).delete().build(), new TypeReference<JsonNode>() {},
        HTTP_NOT_FOUND, gone) != gone;
  }

  /** {@code POST /sites/{site_id}/builds?branch=&title=}, with no body: Netlify builds from the repo. */
  Build createSiteBuild(String siteId, String branch, String title) {
    HttpUrl url = url("sites", siteId, "builds").newBuilder()
        .addQueryParameter("branch", branch)
        .addQueryParameter("title", title)
        .build();
    Request request = authorized(url).post(RequestBody.create(new byte[0], (MediaType) null)).build();
    return send("createSiteBuild", request, new TypeReference<>() {});
  }

  /** {@code GET /sites/{site_id}/deploys?branch=}: the branch's latest deploys, newest first. */
  List<Deploy> listSiteDeploys(String siteId, String branch) {
    HttpUrl url = url("sites", siteId, "deploys").newBuilder()
        .addQueryParameter("branch", branch)
        .addQueryParameter("per_page", Integer.toString(DEPLOYS_PAGE))
        .build();
    return send("listSiteDeploys", get(url), new TypeReference<>() {});
  }

  /** {@code GET /deploys/{deploy_id}}. */
  Deploy getDeploy(String deployId) {
    return send("getDeploy", get(url("deploys", deployId)), new TypeReference<>() {});
  }

  private HttpUrl url(String... segments) {
    HttpUrl.Builder url = baseUrl.newBuilder();
    for (String segment : segments) {
      url.addPathSegment(segment);
    }
    return url.build();
  }

  private Request.Builder authorized(HttpUrl url) {
    return CallerHeader.onto(new Request.Builder()).url(url)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
  }

  private Request get(HttpUrl url) {
    return authorized(url).get().build();
  }

  private Request withBody(String method, HttpUrl url, Object body) {
    try {
      return authorized(url).method(method, RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE)).build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the request to Netlify as JSON", e);
    }
  }

  private <T> T send(String operation, Request request, TypeReference<T> type) {
    return send(operation, request, type, NO_STATUS_TOLERATED, null);
  }

  /**
   * Sends the request once (the client never resends by itself) and reads the answer.
   *
   * @param tolerated a status answered with {@code whenTolerated} instead of a failure, for the
   *     caller to judge
   */
  private <T> T send(String operation, Request request, TypeReference<T> type, int tolerated, T whenTolerated) {
    String text;
    try (Response response = execute(request)) {
      ResponseBody body = response.body();
      text = body == null ? "" : body.string();
      if (response.code() == tolerated) {
        return whenTolerated;
      }
      if (!response.isSuccessful()) {
        throw failure(operation, response.code(), netlifyMessage(text), response.header("Retry-After"));
      }
      if (response.code() == HTTP_NO_CONTENT) {
        return null;
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "Netlify " + operation + " could not be reached: " + scrub(String.valueOf(e.getMessage())),
          FailureType.VENDOR_UNAVAILABLE.type(), e);
    }
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newFailure(
          "Netlify " + operation + " answered with a body that is not the expected JSON: "
              + scrub(abbreviate(text)),
          FailureType.VENDOR_UNAVAILABLE.type());
    }
  }

  /**
   * Sends the request in its turn under the worker's rate limit. A 429 whose {@code Retry-After}
   * fits within {@link RetryAfter#MAX_IN_CALL} is waited out and the request sent again: Netlify
   * carried nothing out. Any other answer is returned for the caller to read.
   */
  private Response execute(Request request) throws IOException {
    return RetryAfter.send(() -> {
      limiter.acquire();
      return http.newCall(request).execute();
    });
  }

  private ApplicationFailure failure(String operation, int status, String message, String retryAfter) {
    return VendorStatus.failure(status,
        "Netlify refused " + operation + " (HTTP " + status + "): " + message,
        "Netlify " + operation + " is unavailable (HTTP " + status + "): " + message,
        RetryAfter.delay(retryAfter, Instant.now()));
  }

  /** Netlify's {@code message}, else the body itself, short and without the token. */
  private String netlifyMessage(String body) {
    if (body.isBlank()) {
      return "no message";
    }
    try {
      JsonNode error = json.readTree(body);
      if (error.path("message").isTextual()) {
        return scrub(abbreviate(error.get("message").asText()));
      }
    } catch (JsonProcessingException notJson) {
      // Proxies and load balancers answer in HTML or plain text; the body is the message then.
    }
    return scrub(abbreviate(body.strip()));
  }

  private String scrub(String text) {
    return token.isEmpty() ? text : text.replace(token, "[token]");
  }

  private static String abbreviate(String text) {
    return text.length() <= MESSAGE_LIMIT ? text : text.substring(0, MESSAGE_LIMIT) + "...";
  }
}
