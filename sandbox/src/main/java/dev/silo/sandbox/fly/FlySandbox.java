package dev.silo.sandbox.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.http.Handlers;
import dev.silo.sandbox.CallLog;
import dev.silo.http.JettyServer;
import dev.silo.sandbox.Faults;
import dev.silo.sandbox.RateLimits;
import dev.silo.sandbox.SpecValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Fly.io: the Machines API under {@code /v1} (apps, machines and their lifecycle, waits)
 * and the GraphQL endpoint {@code /graphql} (organizations), on a loopback port, with its state in
 * memory.
 *
 * <p>The server is Jetty's core ({@link JettyServer}): the sandbox answers a handful of JSON
 * endpoints and needs no servlet container, and the server's thread pool serves the long-polling
 * waits concurrently.
 *
 * <p>What it does as Fly does:
 *
 * <ul>
 *   <li>Every request must carry the token: {@code Authorization: FlyV1 <token>} for macaroon
 *       tokens ({@code fm1r_}, {@code fm2_}), {@code Bearer <token>} otherwise; anything else is
 *       answered 401.
 *   <li>Every request under {@code /v1} is checked against the published Machines API description
 *       ({@link SpecValidator}); {@link #violations()} lists the ones it rejects. GraphQL has no
 *       published description and is not checked.
 *   <li>A machine goes {@code created} (or {@code replacing} when updated) → {@code starting} →
 *       {@code started}, one {@link Builder#stateDelay state delay} per step; each create or update
 *       runs a new {@code instance_id}. Its checks (the config's named checks, then each service's)
 *       report {@code passing}, or {@code critical} once {@link #setUnhealthy} marks the app; a
 *       machine of an app marked {@link #setFailing} ends {@code failed}.
 *   <li>{@code GET .../wait?state=started&timeout=N} blocks up to N seconds (1–60) and answers
 *       408 with an error body when the time runs out.
 * </ul>
 *
 * <p>Deviations, on purpose:
 *
 * <ul>
 *   <li>A pg app (a name ending in {@code -pg}) is backed by a real embedded PostgreSQL of its
 *       own, taken when its machine first starts (from the clusters {@link
 *       Builder#postgresSpares} started ahead, else started then, on threads of its own, not the
 *       machines' lifecycle timer) and closed when the app is destroyed or the sandbox closes.
 *       It is seeded with the Supabase baseline (roles {@code anon}, {@code authenticated}, {@code
 *       service_role}, {@code authenticator}; {@code auth.users}; {@code auth.uid()}), and user
 *       {@code postgres} gets the password of the machine config's {@code POSTGRES_PASSWORD}, which
 *       TCP connections must then bring. Many silos share one host here, so the service's port
 *       5432 is published on PostgreSQL's own loopback port: the machine config the sandbox returns
 *       names that port as the service's public {@code port}, where Fly would keep 5432 on the
 *       app's own address.
 *   <li>Machines stay started: there is no auto-stop, no volumes, no regions beyond the name.
 *   <li>Requests the spec rejects are still answered, so that a test can show what the live API
 *       accepts beyond its 2024-01 description (the create-app body's {@code name}).
 * </ul>
 *
 * <p>Latency and failures are injected per operation through {@link #faults()}: the Machines API's
 * operations are named by the spec's {@code operationId} ({@code Apps_create}, {@code Apps_show},
 * {@code Apps_delete}, {@code Machines_list}, {@code Machines_create}, {@code Machines_show},
 * {@code Machines_update}, {@code Machines_start}, {@code Machines_stop}, {@code Machines_wait}), GraphQL's by the field
 * ({@code organization}, {@code createOrganization}). An injected 429 or 503 carries {@code
 * Retry-After: }{@value #RETRY_AFTER_SECONDS}. A {@linkplain Faults#dropReply dropped reply} is
 * honoured: the request is carried out, then the connection is closed before any byte of the answer;
 * so is a {@linkplain Faults#resetBefore reset}: the connection is closed and nothing is carried out.
 *
 * <p>When asked ({@link #enforceRateLimits}), it keeps Fly's Machines API rate limits, per action
 * and machine (or app): 1 request a second with bursts of 3, Get Machine 5 a second with bursts of
 * 10. A request over them is answered 429 with {@code Retry-After}, and counted ({@link
 * #rateLimitRefusals}).
 *
 * <p>It is one unit over 300 lines because it is the whole HTTP surface of one vendor's API: the
 * routes, the token check, the spec check and the fault injection apply to every operation alike.
 */
public final class FlySandbox implements AutoCloseable {

  /** The Retry-After, in seconds, of an injected 429 or 503. */
  public static final int RETRY_AFTER_SECONDS = 3;

  /** The default time a machine spends in each state before the next. */
  public static final Duration DEFAULT_STATE_DELAY = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(FlySandbox.class);

  /** Fly's limit on one action on one machine or app. */
  private static final RateLimits.Limit ACTION_LIMIT = new RateLimits.Limit(1, 3);

  /** Fly's limit on Get Machine. */
  private static final RateLimits.Limit GET_MACHINE_LIMIT = new RateLimits.Limit(5, 10);

  /** An app as the sandbox holds it. */
  public record AppState(String name, String org, List<MachineState> machines) {}

  /** A machine as the sandbox holds it; its config's metadata, never its env. */
  public record MachineState(String id, String state, String region, String instanceId, Map<String, String> metadata) {}

  private final JettyServer server;
  private final ScheduledExecutorService lifecycle;
  private final FlyAccount account;
  private final MachinesApi machines;
  private final OrganizationsGraphQl graphQl;
  private final SpecValidator validator;
  private final Faults faults = new Faults();
  private final String expectedAuthorization;
  private final ObjectMapper json = new ObjectMapper();
  private final RateLimits rateLimits = new RateLimits();
  private final PostgresClusters postgres;

  private FlySandbox(Builder builder) throws IOException {
    this.validator = SpecValidator.forSpec(builder.spec, "/v1");
    this.expectedAuthorization = (isMacaroon(builder.token) ? "FlyV1 " : "Bearer ") + builder.token;
    this.lifecycle = Executors.newScheduledThreadPool(4, daemonThreads("fly-sandbox-lifecycle"));
    this.postgres = new PostgresClusters(builder.postgresSpares);
    try {
      postgres.startSpares();
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
    this.account = new FlyAccount(json, lifecycle, builder.stateDelay, postgres);
    this.machines = new MachinesApi(account, json);
    this.graphQl = new OrganizationsGraphQl(account, json);
    this.server = JettyServer.start(JettyServer.LOOPBACK, 0, "fly-sandbox-http", builder.callLog.wrap("fly", Handlers.blocking(this::handle)));
  }

  /**
   * Starts building a sandbox.
   *
   * @param spec the Fly Machines OpenAPI description ({@link FlyMachinesSpec#find()})
   * @param token the only token the sandbox accepts
   */
  public static Builder builder(Path spec, String token) {
    return new Builder(spec, token);
  }

  /** Options of a sandbox. */
  public static final class Builder {
    private final Path spec;
    private final String token;
    private Duration stateDelay = DEFAULT_STATE_DELAY;
    private int postgresSpares;
    private CallLog callLog = new CallLog();

    private Builder(Path spec, String token) {
      this.spec = Objects.requireNonNull(spec, "spec");
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("the sandbox needs a token to accept");
      }
      this.token = token;
    }

    /** How long a machine stays in each state on its way to started; default 100 ms. */
    public Builder stateDelay(Duration delay) {
      this.stateDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * How many pg apps' PostgreSQL clusters to start ahead; {@link #start} waits for them. The
     * first that many pg machines then start in the state delays like any other, not in
     * PostgreSQL's start-up; later ones start their cluster when they start. Default 0.
     */
    public Builder postgresSpares(int spares) {
      if (spares < 0) {
        throw new IllegalArgumentException("postgresSpares must not be negative: " + spares);
      }
      this.postgresSpares = spares;
      return this;
    }

    /** The log every call is recorded in; by default one of the sandbox's own. */
    public Builder callLog(CallLog callLog) {
      this.callLog = Objects.requireNonNull(callLog, "callLog");
      return this;
    }

    /** Starts the server on a free loopback port. */
    public FlySandbox start() throws IOException {
      return new FlySandbox(this);
    }
  }

  /** The Machines API's base URL (what {@code FLY_API_URL} names), without {@code /v1}. */
  public String url() {
    return server.url();
  }

  /** The GraphQL endpoint (what {@code FLY_GRAPHQL_URL} names). */
  public String graphqlUrl() {
    return url() + "/graphql";
  }

  /** Latency and failures to inject, per operation. */
  public Faults faults() {
    return faults;
  }

  /**
   * From now on, requests over Fly's Machines API rate limits are answered 429 with {@code
   * Retry-After} (when {@code enforce}), or all served (when not, the default). Every bucket starts
   * full.
   */
  public FlySandbox enforceRateLimits(boolean enforce) {
    rateLimits.enforce(enforce);
    return this;
  }

  /**
   * Starts {@code count} more pg apps' PostgreSQL clusters ahead and waits for them, so that the
   * next that many pg machines start in the state delays, not in PostgreSQL's start-up (a benchmark
   * does this before each of its cases, outside what it measures).
   */
  public void startPostgresSpares(int count) {
    postgres.startSpares(count);
  }

  /** How many requests were answered 429 for going over a rate limit. */
  public int rateLimitRefusals() {
    return rateLimits.refusals();
  }

  /** Every request under {@code /v1} the published spec rejects, in order. */
  public List<SpecValidator.Violation> violations() {
    return validator.violations();
  }

  /** Whether the organization of that slug exists. */
  public boolean organizationExists(String slug) {
    return account.organization(slug).isPresent();
  }

    /** The apps, in creation order, with their machines. */
  public List<AppState> apps() {
    synchronized (account) {
      List<AppState> apps = new ArrayList<>();
      for (FlyAccount.App app : account.apps()) {
        List<MachineState> machineStates = account.machines(app).stream()
            .map(machine -> new MachineState(machine.id, machine.state, machine.region, machine.instanceId,
                metadata(machine.config.path("metadata"))))
            .toList();
        apps.add(new AppState(app.name, app.org.slug, machineStates));
      }
      return apps;
    }
  }

  /** One app, when it exists. */
  public Optional<AppState> app(String name) {
    return apps().stream().filter(app -> app.name().equals(name)).findFirst();
  }

  /**
   * Stops the app's started machines as someone running {@code fly machine stop} would; not
   * counted as a call.
   */
  public void setStopped(String appName) {
    account.setStopped(appName);
  }

  /**
   * Changes the config of the app's machines out of band, as someone updating them with another
   * config would ({@code fly machine update}, another deployment tool): {@code change} edits each
   * machine's config, metadata included; not counted as a call.
   */
  public void changeMachineConfig(String appName, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change) {
    account.changeMachineConfig(appName, change);
  }

  /** From now on the app's machines report their checks critical. */
  public void setUnhealthy(String appName) {
    account.setUnhealthy(appName);
  }

  /** The environment of the app's first machine, secrets included, as the worker sent it. */
  public Map<String, String> machineEnvironment(String appName) {
    return account.machineEnvironment(appName);
  }

  /**
   * From now on the app's machines end {@code failed} when they start; an app not created yet
   * fails from its creation on.
   */
  public void setFailing(String appName) {
    account.setFailing(appName);
  }

  /** The loopback port of the pg app's PostgreSQL, while it runs. */
  public OptionalInt postgresPort(String appName) {
    return account.postgresPort(appName).map(OptionalInt::of).orElseGet(OptionalInt::empty);
  }

  /** Stops the server, the machines' lifecycle and every PostgreSQL. */
  @Override
  public void close() {
    server.close();
    lifecycle.shutdownNow();
    try {
      lifecycle.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    account.close();
  }

  private void handle(Request request, Response response, Callback callback) {
    try {
      SandboxRequest read = read(request);
      SandboxResponse answer = respond(read);
      log.debug("{} {} -> {}", read.method(), read.path(), answer.status());
      write(response, callback, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Handlers.dropConnection(request, callback, e);
    } catch (ReplyDropped dropped) {
      log.debug("{} {}: {}", request.getMethod(), Request.getPathInContext(request), dropped.getMessage());
      Handlers.dropConnection(request, callback, dropped);
    } catch (IOException | RuntimeException e) {
      log.warn("sandbox failed on {} {}", request.getMethod(), Request.getPathInContext(request), e);
      write(response, callback, SandboxResponse.error(500, "sandbox error: " + e));
    }
  }

  private SandboxResponse respond(SandboxRequest request) throws InterruptedException, ReplyDropped {
    boolean machinesApi = request.path().startsWith("/v1/");
    if (machinesApi) {
      validator.check(request.method(), request.path(), request.query(), request.headers(),
          request.header("content-type"), request.body());
    }
    if (!expectedAuthorization.equals(request.header("authorization"))) {
      return SandboxResponse.error(401, "unauthorized");
    }
    SandboxRoute route;
    if (request.path().equals("/graphql")) {
      route = graphQl.route(request);
    } else if (machinesApi) {
      route = machines.route(request);
    } else {
      return SandboxResponse.error(404, "not found: " + request.path());
    }
    Optional<SandboxResponse> overLimit = overRateLimit(request);
    if (overLimit.isPresent()) {
      return overLimit.get();
    }
    Faults.Call call = faults.call(route.operation());
    if (call.failWith().isPresent()) {
      return injected(route.operation(), call.failWith().get());
    }
    if (call.resetBeforeApplied()) {
      throw new ReplyDropped(route.operation() + ", not carried out,");
    }
    SandboxResponse response = route.action().run();
    if (call.dropReply()) {
      throw new ReplyDropped(route.operation() + ", carried out,");
    }
    return response;
  }

  /**
   * The 429 for a request over Fly's limits: per action and machine (a Machines API path names
   * both), or per action and app for an app's own actions; creating an app and GraphQL are not
   * limited.
   */
  private Optional<SandboxResponse> overRateLimit(SandboxRequest request) {
    List<String> segments = List.of(request.path().replaceFirst("^/", "").split("/"));
    if (segments.size() < 3 || !segments.get(0).equals("v1") || !segments.get(1).equals("apps")) {
      return Optional.empty();
    }
    boolean getMachine = segments.size() == 5 && segments.get(3).equals("machines") && request.method().equals("GET");
    RateLimits.Limit limit = getMachine ? GET_MACHINE_LIMIT : ACTION_LIMIT;
    return rateLimits.admit(request.method() + " " + request.path(), limit).map(wait -> new SandboxResponse(429,
        SandboxResponse.error(429, "rate limit exceeded").body(),
        Map.of("Retry-After", RateLimits.retryAfterSeconds(wait))));
  }

  /** A request whose answer is never sent, carried out or not: the connection is closed instead. */
  private static final class ReplyDropped extends IOException {
    ReplyDropped(String operation) {
      super("reply of " + operation + " dropped");
    }
  }

  private static SandboxResponse injected(String operation, int status) {
    SandboxResponse error = SandboxResponse.error(status, "injected failure of " + operation + " (" + status + ")");
    if (status == 429 || status == 503) {
      return new SandboxResponse(status, error.body(), Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
    }
    return error;
  }

  private static SandboxRequest read(Request request) throws IOException {
    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField header : request.getHeaders()) {
      headers.putIfAbsent(header.getLowerCaseName(), header.getValue());
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (Fields.Field parameter : Request.extractQueryParameters(request, StandardCharsets.UTF_8)) {
      query.put(parameter.getName(), new ArrayList<>(parameter.getValues()));
    }
    return new SandboxRequest(request.getMethod().toUpperCase(), Request.getPathInContext(request), query, headers,
        body);
  }

  private void write(Response response, Callback callback, SandboxResponse answer) {
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    if (answer.body() == null) {
      Handlers.send(response, callback, answer.status(), null, new byte[0]);
      return;
    }
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(answer.body());
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    Handlers.send(response, callback, answer.status(), "application/json; charset=utf-8", bytes);
  }

  private static Map<String, String> metadata(JsonNode metadata) {
    Map<String, String> values = new LinkedHashMap<>();
    metadata.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
    return values;
  }

  private static boolean isMacaroon(String token) {
    return token.startsWith("fm1r_") || token.startsWith("fm2_");
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
