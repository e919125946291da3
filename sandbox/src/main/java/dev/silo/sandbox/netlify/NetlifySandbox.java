package dev.silo.sandbox.netlify;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.silo.http.Handlers;
import dev.silo.sandbox.CallLog;
import dev.silo.http.JettyServer;
import dev.silo.sandbox.Faults;
import dev.silo.sandbox.RateLimits;
import dev.silo.sandbox.SpecValidator;
import dev.silo.sandbox.SpecValidator.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netlify's REST API for one site, on a loopback port, for the demo and the tests: the site and its
 * allowed branches, environment variables with per-context values, and builds whose deploys move
 * {@code new -> building -> ready} (or {@code error}) on a timer.
 *
 * <p>Every request is checked against Netlify's published spec (see {@link NetlifySpec}); the
 * violations are kept for the test to assert on, and the request is still served. Requests without
 * the bearer token get 401. Latency and failures are injected per operation through {@link
 * #faults()}; operations are named by the spec's operation IDs ({@link #GET_SITE} and the others
 * below). A {@linkplain Faults#dropReply dropped reply} is honoured for every operation, the writes
 * ({@link #UPDATE_SITE}, {@link #CREATE_ENV_VARS}, {@link #SET_ENV_VAR_VALUE}, {@link
 * #DELETE_ENV_VAR_VALUE}, {@link #CREATE_SITE_BUILD}) included: the request is validated and carried out, counted among the
 * writes, then the connection is closed before any byte of the answer, as when a worker is killed
 * or the network fails after Netlify applied a request. No answer is sent, so none can break the
 * spec. A {@linkplain Faults#resetBefore reset} closes the connection the same way without carrying
 * the request out.
 *
 * <p>When asked ({@link #enforceRateLimits}), it keeps Netlify's documented API rate limit, by
 * default 500 requests a minute per token, as a bucket that holds a minute's requests: a request
 * over it is answered 429 with {@code Retry-After}, and counted ({@link #rateLimitRefusals}).
 *
 * <p>It is one unit over 300 lines because it is the whole HTTP surface of one vendor's API: the
 * routes, the spec check, the token check and the fault injection apply to every operation alike.
 */
public final class NetlifySandbox implements AutoCloseable {

  /** {@code GET /sites/{site_id}}. */
  public static final String GET_SITE = "getSite";
  /** {@code PATCH /sites/{site_id}}. */
  public static final String UPDATE_SITE = "updateSite";
  /** {@code GET /accounts/{account_id}/env}. */
  public static final String GET_ENV_VARS = "getEnvVars";
  /** {@code POST /accounts/{account_id}/env}. */
  public static final String CREATE_ENV_VARS = "createEnvVars";
  /** {@code PATCH /accounts/{account_id}/env/{key}}. */
  public static final String SET_ENV_VAR_VALUE = "setEnvVarValue";
  /** {@code DELETE /accounts/{account_id}/env/{key}/value/{id}}. */
  public static final String DELETE_ENV_VAR_VALUE = "deleteEnvVarValue";
  /** {@code POST /sites/{site_id}/builds}. */
  public static final String CREATE_SITE_BUILD = "createSiteBuild";
  /** {@code GET /sites/{site_id}/deploys}. */
  public static final String LIST_SITE_DEPLOYS = "listSiteDeploys";
  /** {@code GET /deploys/{deploy_id}}. */
  public static final String GET_DEPLOY = "getDeploy";

  /** A value of an environment variable: the deploy context, the branch for context {@code branch}. */
  public record EnvValue(String context, String contextParameter, String value) {}

  /** A build as triggered; its deploy carries the state. */
  public record Build(String id, String deployId, String branch, String title) {}

  /** A deploy and the state it has reached. */
  public record Deploy(String id, String buildId, String branch, String title, String state, String errorMessage) {}

  private record Answer(int status, JsonNode body) {}

  @FunctionalInterface
  private interface Operation {
    Answer handle(Map<String, String> path, Map<String, List<String>> query, JsonNode body);
  }

  private record Route(String method, UriTemplatePathSpec path, String operation, Operation handler) {}

  private static final Logger log = LoggerFactory.getLogger(NetlifySandbox.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_PER_PAGE = 100;

  private final JettyServer server;
  private final ScheduledExecutorService builds;
  private final SpecValidator validator;
  private final List<Violation> violations = new CopyOnWriteArrayList<>();
  private final Faults faults = new Faults();
  private final String token;
  private final Duration buildStep;
  private final Duration retryAfter;
  private final NetlifyState state;
  private final List<Route> routes;
  private final RateLimits rateLimits = new RateLimits();
  private final RateLimits.Limit rateLimit;

  private NetlifySandbox(Builder builder) throws IOException {
    this.validator = NetlifySpec.validator(builder.specFile);
    this.token = builder.token;
    this.buildStep = builder.buildStep;
    this.retryAfter = builder.retryAfter;
    this.rateLimit = new RateLimits.Limit(builder.ratePerMinute / 60.0, builder.ratePerMinute);
    this.state = new NetlifyState(JSON, builder.siteName, builder.accountSlug, builder.allowedBranches);
    this.routes = routes();
    this.builds = Executors.newSingleThreadScheduledExecutor(daemon("netlify-sandbox-build"));
    PathMappingsHandler api = new PathMappingsHandler();
    api.addMapping(PathSpec.from(NetlifySpec.BASE_PATH + "/*"), Handlers.blocking(this::serve));
    this.server = JettyServer.start(JettyServer.LOOPBACK, 0, "netlify-sandbox-request", builder.callLog.wrap("netlify", api));
  }

  /** Starts building a sandbox that validates requests against the given Netlify spec file. */
  public static Builder builder(Path specFile) {
    return new Builder(specFile);
  }

  /** Options of a sandbox; every one has a default. */
  public static final class Builder {
    private final Path specFile;
    private String token = "sandbox-netlify-token";
    private String siteName = "silo-web";
    private String accountSlug = "somtech";
    private List<String> allowedBranches = List.of("main");
    private Duration buildStep = Duration.ofMillis(50);
    private Duration retryAfter = Duration.ofSeconds(1);
    private int ratePerMinute = 500;
    private CallLog callLog = new CallLog();

    private Builder(Path specFile) {
      this.specFile = specFile;
    }

    /** The bearer token every request must carry. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The site's name, hence its {@code {name}.netlify.app} host. */
    public Builder siteName(String siteName) {
      this.siteName = siteName;
      return this;
    }

    /** The account's slug, accepted in place of its ID as Netlify does. */
    public Builder accountSlug(String accountSlug) {
      this.accountSlug = accountSlug;
      return this;
    }

    /** The branches allowed at start; the first is the production branch. Default {@code [main]}. */
    public Builder allowedBranches(List<String> allowedBranches) {
      this.allowedBranches = List.copyOf(allowedBranches);
      return this;
    }

    /** How long a deploy stays in each state before the next ({@code new}, {@code building}). */
    public Builder buildStep(Duration buildStep) {
      this.buildStep = buildStep;
      return this;
    }

    /** The {@code Retry-After} sent with an injected 429 or 503. */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /** The requests a minute {@link #enforceRateLimits} allows; Netlify's 500 by default. */
    public Builder ratePerMinute(int ratePerMinute) {
      this.ratePerMinute = ratePerMinute;
      return this;
    }

    /** The log every call is recorded in; by default one of the sandbox's own. */
    public Builder callLog(CallLog callLog) {
      this.callLog = Objects.requireNonNull(callLog, "callLog");
      return this;
    }

    /** Starts the sandbox on a free loopback port. */
    public NetlifySandbox start() throws IOException {
      return new NetlifySandbox(this);
    }
  }

  /** The API's base URL, {@code http://127.0.0.1:{port}/api/v1}: what NETLIFY_API_URL should be. */
  public String url() {
    return server.url() + NetlifySpec.BASE_PATH;
  }

  /** The bearer token the sandbox accepts. */
  public String token() {
    return token;
  }

  /** The site's ID (a UUID, as Netlify's are): what NETLIFY_SITE_ID should be. */
  public String siteId() {
    return state.siteId();
  }

  /** The site's name. */
  public String siteName() {
    return state.siteName();
  }

  /** The ID of the account that owns the site. */
  public String accountId() {
    return state.accountId();
  }

  /** Latency and failures to inject, per operation. */
  public Faults faults() {
    return faults;
  }

  /**
   * From now on, requests over Netlify's rate limit are answered 429 with {@code Retry-After}
   * (when {@code enforce}), or all served (when not, the default). The allowance starts full.
   */
  public NetlifySandbox enforceRateLimits(boolean enforce) {
    rateLimits.enforce(enforce);
    return this;
  }

  /** How many requests were answered 429 for going over the rate limit. */
  public int rateLimitRefusals() {
    return rateLimits.refusals();
  }

  /** Every request so far that Netlify's spec rejects. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** The site's allowed branches, production branch first. */
  public List<String> allowedBranches() {
    return state.allowedBranches();
  }

  /** The site's environment variables: key to values, in the order they were set. */
  public Map<String, List<EnvValue>> envVars() {
    return state.envVars();
  }

  /** Defines a variable value as if someone had set it in Netlify's UI; not counted as a write. */
  public void defineEnvValue(String key, EnvValue value) {
    state.defineEnvValue(key, value);
  }

  /**
   * Deletes a variable with all its values, as if someone had deleted it in Netlify's UI; not
   * counted as a write.
   */
  public void deleteEnvVar(String key) {
    state.deleteEnvVar(key);
  }

  /**
   * Right after the next site update, another writer replaces the allowed branches without this
   * one, as a second worker or a person in Netlify's UI could; not counted as a write. The update's
   * own answer still lists the branch.
   */
  public void dropAllowedBranchAfterNextUpdate(String branch) {
    state.dropAllowedBranchAfterNextUpdate(branch);
  }

  /** The builds triggered so far, oldest first. */
  public List<Build> builds() {
    return state.builds();
  }

  /** The deploys so far, oldest first. */
  public List<Deploy> deploys() {
    return state.deploys();
  }

  /** The next build's deploy ends in {@code error} with this message. */
  public void failNextBuild(String message) {
    state.failNextBuild(message);
  }

  /**
   * The next build's deploy ends in this state without an error message instead of {@code ready},
   * such as {@code canceled} (someone cancelled it) or {@code skipped} (Netlify skipped it).
   */
  public void endNextBuild(String state) {
    this.state.endNextBuild(state);
  }

  /** How many site updates were applied. */
  public int sitePatches() {
    return state.sitePatches();
  }

  /** How many environment-variable writes (creations, value changes and deletions) were applied. */
  public int envWrites() {
    return state.envWrites();
  }

  /**
   * How many configuration writes were applied: site updates and variable writes together, the
   * count a re-run or a retried configuration must leave unchanged.
   */
  public int configurationWrites() {
    return state.sitePatches() + state.envWrites();
  }

  @Override
  public void close() {
    server.close();
    builds.shutdownNow();
  }

  private List<Route> routes() {
    List<Route> table = new ArrayList<>();
    table.add(new Route("GET", new UriTemplatePathSpec("/sites/{site_id}"), GET_SITE,
        (path, query, body) -> ok(state.getSite(path.get("site_id")))));
    table.add(new Route("PATCH", new UriTemplatePathSpec("/sites/{site_id}"), UPDATE_SITE,
        (path, query, body) -> ok(state.updateSite(path.get("site_id"), body))));
    table.add(new Route("GET", new UriTemplatePathSpec("/accounts/{account_id}/env"), GET_ENV_VARS,
        (path, query, body) -> ok(state.getEnvVars(path.get("account_id"), first(query, "site_id")))));
    table.add(new Route("POST", new UriTemplatePathSpec("/accounts/{account_id}/env"), CREATE_ENV_VARS,
        (path, query, body) -> new Answer(201,
            state.createEnvVars(path.get("account_id"), first(query, "site_id"), body))));
    table.add(new Route("PATCH", new UriTemplatePathSpec("/accounts/{account_id}/env/{key}"), SET_ENV_VAR_VALUE,
        (path, query, body) -> new Answer(201,
            state.setEnvVarValue(path.get("account_id"), first(query, "site_id"), path.get("key"), body))));
    table.add(new Route("DELETE", new UriTemplatePathSpec("/accounts/{account_id}/env/{key}/value/{id}"),
        DELETE_ENV_VAR_VALUE, (path, query, body) -> {
          state.deleteEnvVarValue(path.get("account_id"), first(query, "site_id"), path.get("key"), path.get("id"));
          return new Answer(204, null);
        }));
    table.add(new Route("POST", new UriTemplatePathSpec("/sites/{site_id}/builds"), CREATE_SITE_BUILD,
        (path, query, body) -> ok(createBuild(path.get("site_id"), query))));
    table.add(new Route("GET", new UriTemplatePathSpec("/sites/{site_id}/deploys"), LIST_SITE_DEPLOYS,
        (path, query, body) -> ok(state.listSiteDeploys(path.get("site_id"), first(query, "branch"),
            first(query, "state"), intParameter(query, "page", 1),
            intParameter(query, "per_page", DEFAULT_PER_PAGE)))));
    table.add(new Route("GET", new UriTemplatePathSpec("/deploys/{deploy_id}"), GET_DEPLOY,
        (path, query, body) -> ok(state.getDeploy(path.get("deploy_id")))));
    return List.copyOf(table);
  }

  private JsonNode createBuild(String site, Map<String, List<String>> query) {
    JsonNode build = state.createBuild(site, first(query, "branch"), first(query, "title"));
    String deployId = build.get("deploy_id").asText();
    String failure = state.takeBuildFailure();
    String end = state.takeBuildEnd().orElse(failure == null ? "ready" : "error");
    long step = buildStep.toMillis();
    builds.schedule(() -> state.moveDeploy(deployId, "building", null), step, TimeUnit.MILLISECONDS);
    builds.schedule(
        () -> state.moveDeploy(deployId, end, failure),
        2 * step, TimeUnit.MILLISECONDS);
    return build;
  }

  private void serve(Request request, Response response, Callback callback) throws IOException {
    String method = request.getMethod();
    String fullPath = request.getHttpURI().getDecodedPath();
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (Fields.Field parameter : Request.extractQueryParameters(request, UTF_8)) {
      query.put(parameter.getName(), new ArrayList<>(parameter.getValues()));
    }
    String body = Content.Source.asString(request, UTF_8);
    validate(request, method, fullPath, query, body);
    Answer answer;
    try {
      answer = answer(request, response, method, fullPath.substring(NetlifySpec.BASE_PATH.length()), query, body);
    } catch (ReplyDropped dropped) {
      log.debug("{} {}: {}", method, fullPath, dropped.getMessage());
      Handlers.dropConnection(request, callback, dropped);
      return;
    }
    send(response, callback, answer);
  }

  private static void send(Response response, Callback callback, Answer answer) throws IOException {
    if (answer.body() == null) {
      Handlers.send(response, callback, answer.status(), null, new byte[0]);
      return;
    }
    Handlers.send(response, callback, answer.status(), "application/json; charset=utf-8",
        JSON.writeValueAsBytes(answer.body()));
  }

  private void validate(Request request, String method, String path, Map<String, List<String>> query, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField header : request.getHeaders()) {
      headers.putIfAbsent(header.getName(), header.getValue());
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    Violation violation = validator.check(method, path, query, headers, contentType, body);
    if (violation != null) {
      log.warn("Netlify's spec rejects {} {}: {}", method, path, violation.messages());
      violations.add(violation);
    }
  }

  private Answer answer(Request request, Response response, String method, String path,
      Map<String, List<String>> query, String body) throws ReplyDropped {
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization == null || !authorization.equals("Bearer " + token)) {
      return error(401, "Access Denied: a valid bearer token is required");
    }
    for (Route route : routes) {
      if (route.method().equals(method) && route.path().matches(path)) {
        Optional<Duration> overLimit = rateLimits.admit(token, rateLimit);
        if (overLimit.isPresent()) {
          response.getHeaders().put(HttpHeader.RETRY_AFTER, RateLimits.retryAfterSeconds(overLimit.get()));
          return error(429, "Rate limit exceeded");
        }
        Faults.Call call = faults.call(route.operation());
        if (call.failWith().isPresent()) {
          return injectedFailure(response, call.failWith().get(), route.operation());
        }
        if (call.resetBeforeApplied()) {
          throw new ReplyDropped(route.operation() + ", not carried out,");
        }
        Answer answer;
        try {
          answer = route.handler().handle(route.path().getPathParams(path), query, parseBody(body));
        } catch (NetlifyError e) {
          answer = error(e.status(), e.getMessage());
        }
        if (call.dropReply()) {
          throw new ReplyDropped(route.operation() + ", carried out,");
        }
        return answer;
      }
    }
    return error(404, "Not Found");
  }

  /** A request whose answer is never sent, carried out or not: the connection is closed instead. */
  private static final class ReplyDropped extends IOException {
    ReplyDropped(String operation) {
      super("reply of " + operation + " dropped");
    }
  }

  private Answer injectedFailure(Response response, int status, String operation) {
    if (status == 429 || status == 503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    }
    return error(status, "sandbox fault injected into " + operation + " (HTTP " + status + ")");
  }

  private static Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  private static Answer error(int status, String message) {
    return new Answer(status, JSON.createObjectNode().put("code", status).put("message", message));
  }

  private static JsonNode parseBody(String body) {
    if (body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new NetlifyError(400, "the body is not JSON");
    }
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static int intParameter(Map<String, List<String>> query, String name, int fallback) {
    String value = first(query, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Math.max(1, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw new NetlifyError(400, name + " must be an integer");
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
