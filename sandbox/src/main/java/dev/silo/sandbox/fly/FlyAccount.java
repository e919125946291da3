package dev.silo.sandbox.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one Fly token can see: organizations, their apps and the apps' machines, with the machine
 * lifecycle played out on a timer. Every method is atomic (the account's monitor is the lock, and
 * the waiters of {@link #awaitState} are woken on each state change); PostgreSQL starts outside the
 * lock and off the lifecycle timer.
 *
 * <p>It is one unit over 300 lines because it is one state machine under one lock: organizations,
 * apps and machines change together, and the waiters are woken on every change.
 */
final class FlyAccount implements AutoCloseable {

  /** How a machine's wait ended. */
  enum WaitOutcome { REACHED, TIMED_OUT, NOT_FOUND }

  /** How an app creation ended. */
  enum AppCreation { CREATED, NAME_TAKEN, NO_SUCH_ORG }

  static final String PG_SUFFIX = "-pg";
  static final int POSTGRES_PORT = 5432;

  private static final Logger log = LoggerFactory.getLogger(FlyAccount.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private final ObjectMapper json;
  private final ScheduledExecutorService scheduler;
  private final Duration stateDelay;
  private final Map<String, Org> orgs = new LinkedHashMap<>();
  private final Map<String, App> apps = new LinkedHashMap<>();
  private final PostgresClusters postgres;
  private final Set<String> failingApps = new HashSet<>();
  private boolean closed;

  static final class Org {
    final String id;
    final String slug;
    final String name;

    Org(String id, String slug, String name) {
      this.id = id;
      this.slug = slug;
      this.name = name;
    }
  }

  static final class App {
    final String id;
    final String name;
    final Org org;
    final Map<String, Machine> machines = new LinkedHashMap<>();
    boolean unhealthy;
    boolean failing;

    App(String id, String name, Org org) {
      this.id = id;
      this.name = name;
      this.org = org;
    }
  }

  static final class Machine {
    final String id;
    final String name;
    final Instant createdAt;
    String region;
    String state;
    String instanceId;
    ObjectNode config;
    ArrayNode checks;
    Instant updatedAt;

    Machine(String id, String name, String region, ObjectNode config, ArrayNode checks) {
      this.id = id;
      this.name = name;
      this.region = region;
      this.config = config;
      this.checks = checks;
      this.createdAt = Instant.now();
      this.updatedAt = createdAt;
    }
  }

  FlyAccount(ObjectMapper json, ScheduledExecutorService scheduler, Duration stateDelay, PostgresClusters postgres) {
    this.json = json;
    this.scheduler = scheduler;
    this.stateDelay = stateDelay;
    this.postgres = postgres;
  }

  synchronized Optional<Org> organization(String slug) {
    return Optional.ofNullable(orgs.get(slug));
  }

  /** Creates an organization whose slug is its name; empty when the slug is taken. */
  synchronized Optional<Org> createOrganization(String name) {
    if (orgs.containsKey(name)) {
      return Optional.empty();
    }
    Org org = new Org(randomId(10), name, name);
    orgs.put(name, org);
    return Optional.of(org);
  }

  /** What deleting an organization did. */
  enum OrgDeletion { DELETED, NOT_FOUND, HAS_APPS }

  /** Deletes the organization of that ID, unless it still holds apps, as Fly refuses then. */
  synchronized OrgDeletion deleteOrganization(String id) {
    Optional<Org> org = orgs.values().stream().filter(candidate -> candidate.id.equals(id)).findFirst();
    if (org.isEmpty()) {
      return OrgDeletion.NOT_FOUND;
    }
    if (!apps(org.get().slug).isEmpty()) {
      return OrgDeletion.HAS_APPS;
    }
    orgs.remove(org.get().slug);
    return OrgDeletion.DELETED;
  }

  synchronized Optional<App> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  synchronized List<App> apps() {
    return List.copyOf(apps.values());
  }

  synchronized List<App> apps(String orgSlug) {
    return apps.values().stream().filter(app -> app.org.slug.equals(orgSlug)).toList();
  }

  synchronized AppCreation createApp(String name, String orgSlug) {
    Org org = orgs.get(orgSlug);
    if (org == null) {
      return AppCreation.NO_SUCH_ORG;
    }
    if (apps.containsKey(name)) {
      return AppCreation.NAME_TAKEN;
    }
    App created = new App(randomId(10), name, org);
    created.failing = failingApps.contains(name);
    apps.put(name, created);
    return AppCreation.CREATED;
  }

  /** Destroys the app, its machines and its PostgreSQL; false when there is no such app. */
  boolean deleteApp(String name) {
    synchronized (this) {
      App app = apps.remove(name);
      if (app == null) {
        return false;
      }
      app.machines.values().forEach(machine -> machine.state = "destroyed");
      notifyAll();
    }
    postgres.close(name);
    return true;
  }

  synchronized List<Machine> machines(App app) {
    return app.machines.values().stream().filter(machine -> !"destroyed".equals(machine.state)).toList();
  }

  synchronized Optional<Machine> machine(App app, String id) {
    return Optional.ofNullable(app.machines.get(id));
  }

  synchronized Machine createMachine(App app, String name, String region, ObjectNode config) {
    String id = randomId(7);
    Machine machine = new Machine(id, name == null ? "machine-" + id : name, region, config, json.createArrayNode());
    app.machines.put(id, machine);
    launch(app, machine, "created");
    return machine;
  }

  synchronized Machine updateMachine(App app, Machine machine, String region, ObjectNode config) {
    machine.config = config;
    if (region != null) {
      machine.region = region;
    }
    launch(app, machine, "replacing");
    return machine;
  }

  /** Starts a stopped machine; returns the state it was in. */
  synchronized String startMachine(App app, Machine machine) {
    String previous = machine.state;
    if (!"started".equals(previous) && !"starting".equals(previous)) {
      launch(app, machine, "starting");
    }
    return previous;
  }

  /**
   * Stops a machine that runs or is starting: stopping, then stopped after the state delay. A new
   * instance marker is taken so that a start still under way does not bring it up again. A machine
   * already stopped, or on its way, is left as it is. Returns the state it was in.
   */
  synchronized String stopMachine(App app, Machine machine) {
    String previous = machine.state;
    if (Set.of("stopped", "stopping", "suspended", "destroying", "destroyed").contains(previous)) {
      return previous;
    }
    String instance = newInstanceId();
    machine.instanceId = instance;
    machine.state = "stopping";
    machine.checks = json.createArrayNode();
    machine.updatedAt = Instant.now();
    notifyAll();
    String appName = app.name;
    scheduler.schedule(() -> stopped(appName, machine.id, instance), stateDelay.toNanos(), TimeUnit.NANOSECONDS);
    return previous;
  }

  private synchronized void stopped(String appName, String machineId, String instance) {
    Machine machine = current(appName, machineId, instance);
    if (machine != null && "stopping".equals(machine.state)) {
      machine.state = "stopped";
      machine.updatedAt = Instant.now();
      notifyAll();
    }
  }

  /**
   * Waits until the machine is in {@code state}, and, when {@code instanceId} is given, runs that
   * version of its config.
   */
  synchronized WaitOutcome awaitState(App app, String machineId, String instanceId, String state, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Machine machine = app.machines.get(machineId);
      if (machine == null) {
        return WaitOutcome.NOT_FOUND;
      }
      boolean sameInstance = instanceId == null || instanceId.equals(machine.instanceId);
      if (sameInstance && state.equals(machine.state)) {
        return WaitOutcome.REACHED;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return WaitOutcome.TIMED_OUT;
      }
      TimeUnit.NANOSECONDS.timedWait(this, remaining);
    }
  }

  /** Puts the app's started machines in state {@code stopped}, as {@code fly machine stop} would. */
  synchronized void setStopped(String appName) {
    requireApp(appName).machines.values().stream()
        .filter(machine -> "started".equals(machine.state))
        .forEach(machine -> machine.state = "stopped");
  }

  /** Edits the config of each of the app's machines in place; the machines keep their state. */
  synchronized void changeMachineConfig(String appName, java.util.function.Consumer<ObjectNode> change) {
    requireApp(appName).machines.values().forEach(machine -> change.accept(machine.config));
  }

  synchronized void setUnhealthy(String appName) {
    App app = requireApp(appName);
    app.unhealthy = true;
    app.machines.values().stream()
        .filter(machine -> "started".equals(machine.state))
        .forEach(machine -> machine.checks = checks(machine.config, false));
  }

  /** The environment of the app's first machine, as its config carries it; empty when it has none. */
  synchronized Map<String, String> machineEnvironment(String appName) {
    Map<String, String> environment = new LinkedHashMap<>();
    requireApp(appName).machines.values().stream().findFirst()
        .ifPresent(machine -> machine.config.path("env").fields()
            .forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText())));
    return environment;
  }

  /** Marks the app failing; an app not created yet is failing from its creation on. */
  synchronized void setFailing(String appName) {
    failingApps.add(appName);
    App app = apps.get(appName);
    if (app != null) {
      app.failing = true;
    }
  }

  Optional<Integer> postgresPort(String appName) {
    return postgres.port(appName);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    postgres.close();
  }

  private App requireApp(String appName) {
    App app = apps.get(appName);
    if (app == null) {
      throw new IllegalArgumentException("no app " + appName + " in the sandbox");
    }
    return app;
  }

  /**
   * Runs a new version of the machine's config: {@code initialState}, then starting, then started.
   * A pg app's PostgreSQL is made ready meanwhile, off the lifecycle timer (see {@link
   * PostgresClusters}), and the machine is started once both the state delays and it are done.
   */
  private void launch(App app, Machine machine, String initialState) {
    String instance = newInstanceId();
    machine.instanceId = instance;
    machine.state = initialState;
    machine.checks = json.createArrayNode();
    machine.updatedAt = Instant.now();
    notifyAll();
    CompletableFuture<Integer> database = !app.failing && app.name.endsWith(PG_SUFFIX)
        ? postgres.prepare(app.name, machine.config.path("env").path("POSTGRES_PASSWORD").asText(null))
        : null;
    scheduler.schedule(() -> starting(app.name, machine.id, instance, database), stateDelay.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private void starting(String appName, String machineId, String instance, CompletableFuture<Integer> database) {
    synchronized (this) {
      Machine machine = current(appName, machineId, instance);
      if (machine == null) {
        return;
      }
      machine.state = "starting";
      machine.updatedAt = Instant.now();
      notifyAll();
    }
    scheduler.schedule(() -> {
      if (database == null) {
        finishStart(appName, machineId, instance, null, false);
      } else {
        database.whenComplete((port, error) -> {
          if (error != null) {
            log.warn("PostgreSQL of sandbox app {} did not start: {}", appName, error.toString());
          }
          finishStart(appName, machineId, instance, port, error != null);
        });
      }
    }, stateDelay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Ends the start: started, or failed when the app is failing or its PostgreSQL did not start. */
  private void finishStart(String appName, String machineId, String instance, Integer postgresPort,
      boolean postgresFailed) {
    synchronized (this) {
      Machine machine = current(appName, machineId, instance);
      if (machine != null) {
        App app = apps.get(appName);
        boolean failing = app.failing || postgresFailed;
        machine.state = failing ? "failed" : "started";
        if (postgresPort != null && !failing) {
          publish(machine.config, postgresPort);
        }
        machine.checks = failing ? json.createArrayNode() : checks(machine.config, !app.unhealthy);
        machine.updatedAt = Instant.now();
        notifyAll();
        return;
      }
      if (apps.containsKey(appName) && !closed) {
        return;
      }
    }
    postgres.close(appName);
  }

  /** The machine, when it still exists and still runs this version of its config. */
  private Machine current(String appName, String machineId, String instance) {
    App app = apps.get(appName);
    Machine machine = app == null ? null : app.machines.get(machineId);
    return machine != null && instance.equals(machine.instanceId) && !closed ? machine : null;
  }

  /** Publishes the service on PostgreSQL's port, on the loopback interface the server listens on. */
  private static void publish(ObjectNode config, int port) {
    for (JsonNode service : config.path("services")) {
      if (service.path("internal_port").asInt() != POSTGRES_PORT) {
        continue;
      }
      for (JsonNode servicePort : service.path("ports")) {
        if (servicePort instanceof ObjectNode published && published.path("port").asInt() == POSTGRES_PORT) {
          published.put("port", port);
        }
      }
    }
  }

  /** The checks as Fly reports them: the config's named checks, then each service's checks. */
  private ArrayNode checks(ObjectNode config, boolean passing) {
    ArrayNode checks = json.createArrayNode();
    Iterator<Map.Entry<String, JsonNode>> named = config.path("checks").fields();
    while (named.hasNext()) {
      Map.Entry<String, JsonNode> check = named.next();
      checks.add(check(check.getKey(), check.getValue(), passing));
    }
    for (JsonNode service : config.path("services")) {
      int index = 0;
      for (JsonNode check : service.path("checks")) {
        String name = String.format("servicecheck-%02d-%s-%d", index++, check.path("type").asText("tcp"),
            service.path("internal_port").asInt());
        checks.add(check(name, check, passing));
      }
    }
    return checks;
  }

  private ObjectNode check(String name, JsonNode check, boolean passing) {
    String target = "http".equals(check.path("type").asText()) ? "GET " + check.path("path").asText("/") : "TCP connect";
    return json.createObjectNode()
        .put("name", name)
        .put("status", passing ? "passing" : "critical")
        .put("output", target + (passing ? ": OK" : ": connection refused"))
        .put("updated_at", Instant.now().toString());
  }

  private static String randomId(int bytes) {
    byte[] id = new byte[bytes];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  private static String newInstanceId() {
    StringBuilder id = new StringBuilder(26);
    for (int i = 0; i < 26; i++) {
      id.append(ULID_ALPHABET.charAt(RANDOM.nextInt(ULID_ALPHABET.length())));
    }
    return id.toString();
  }
}
