package dev.silo.sandbox.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the Fly Machines API (under {@code /v1}) that deploying, stopping, starting and
 * destroying an app use.
 * Operations are named by the spec's {@code operationId}.
 */
final class MachinesApi {

  private static final Pattern APPS = Pattern.compile("/v1/apps");
  private static final Pattern APP = Pattern.compile("/v1/apps/([^/]+)");
  private static final Pattern MACHINES = Pattern.compile("/v1/apps/([^/]+)/machines");
  private static final Pattern MACHINE = Pattern.compile("/v1/apps/([^/]+)/machines/([^/]+)");
  private static final Pattern MACHINE_ACTION = Pattern.compile("/v1/apps/([^/]+)/machines/([^/]+)/(wait|start|stop)");
  private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Set<String> WAIT_STATES = Set.of("started", "stopped", "destroyed");
  /** The API's own default and the longest wait its proxy allows. */
  private static final int MAX_WAIT_SECONDS = 60;

  private final FlyAccount account;
  private final ObjectMapper json;

  MachinesApi(FlyAccount account, ObjectMapper json) {
    this.account = account;
    this.json = json;
  }

  SandboxRoute route(SandboxRequest request) {
    String path = request.path();
    String method = request.method();
    Matcher matcher;
    if (APPS.matcher(path).matches()) {
      if (method.equals("POST")) {
        return new SandboxRoute("Apps_create", () -> createApp(request));
      }
      if (method.equals("GET")) {
        return new SandboxRoute("Apps_list", () -> listApps(request));
      }
    } else if ((matcher = APP.matcher(path)).matches()) {
      String app = matcher.group(1);
      if (method.equals("GET")) {
        return new SandboxRoute("Apps_show", () -> showApp(app));
      }
      if (method.equals("DELETE")) {
        return new SandboxRoute("Apps_delete", () -> deleteApp(app));
      }
    } else if ((matcher = MACHINES.matcher(path)).matches()) {
      String app = matcher.group(1);
      if (method.equals("GET")) {
        return new SandboxRoute("Machines_list", () -> listMachines(app));
      }
      if (method.equals("POST")) {
        return new SandboxRoute("Machines_create", () -> createMachine(app, request));
      }
    } else if ((matcher = MACHINE.matcher(path)).matches()) {
      String app = matcher.group(1);
      String id = matcher.group(2);
      if (method.equals("GET")) {
        return new SandboxRoute("Machines_show", () -> showMachine(app, id));
      }
      if (method.equals("POST")) {
        return new SandboxRoute("Machines_update", () -> updateMachine(app, id, request));
      }
    } else if ((matcher = MACHINE_ACTION.matcher(path)).matches()) {
      String app = matcher.group(1);
      String id = matcher.group(2);
      if (matcher.group(3).equals("wait") && method.equals("GET")) {
        return new SandboxRoute("Machines_wait", () -> waitMachine(app, id, request));
      }
      if (matcher.group(3).equals("start") && method.equals("POST")) {
        return new SandboxRoute("Machines_start", () -> startMachine(app, id));
      }
      if (matcher.group(3).equals("stop") && method.equals("POST")) {
        return new SandboxRoute("Machines_stop", () -> stopMachine(app, id));
      }
    }
    return new SandboxRoute("unknown", () -> SandboxResponse.error(404, "not found: " + method + " " + path));
  }

  /**
   * Accepts the app's name as {@code app_name} (the 2024-01 spec and the docs) or {@code name}
   * (newer clients), as the live API does.
   */
  private SandboxResponse createApp(SandboxRequest request) {
    Optional<JsonNode> body = parse(request.body());
    if (body.isEmpty()) {
      return SandboxResponse.error(400, "request body is not JSON");
    }
    String name = body.get().path("app_name").asText(body.get().path("name").asText(""));
    String org = body.get().path("org_slug").asText("");
    if (!APP_NAME.matcher(name).matches()) {
      return SandboxResponse.error(400, "app name '" + name
          + "' is invalid: use 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit");
    }
    return switch (account.createApp(name, org)) {
      case CREATED -> SandboxResponse.empty(201);
      case NAME_TAKEN -> SandboxResponse.error(422, "Name has already been taken");
      case NO_SUCH_ORG -> SandboxResponse.error(404, "organization '" + org + "' not found");
    };
  }

  private SandboxResponse listApps(SandboxRequest request) {
    String org = request.queryParameter("org_slug");
    ArrayNode apps = json.createArrayNode();
    account.apps(org == null ? "" : org).forEach(app -> apps.addObject()
        .put("id", app.id)
        .put("name", app.name)
        .put("machine_count", account.machines(app).size()));
    ObjectNode list = json.createObjectNode().put("total_apps", apps.size());
    list.set("apps", apps);
    return SandboxResponse.json(200, list);
  }

  private SandboxResponse showApp(String name) {
    return account.app(name)
        .map(app -> SandboxResponse.json(200, app(app)))
        .orElseGet(() -> SandboxResponse.error(404, "app not found"));
  }

  private SandboxResponse deleteApp(String name) {
    return account.deleteApp(name) ? SandboxResponse.empty(202) : SandboxResponse.error(404, "app not found");
  }

  private SandboxResponse listMachines(String appName) {
    Optional<FlyAccount.App> app = account.app(appName);
    if (app.isEmpty()) {
      return SandboxResponse.error(404, "app not found");
    }
    ArrayNode machines = json.createArrayNode();
    synchronized (account) {
      account.machines(app.get()).forEach(machine -> machines.add(machine(machine)));
    }
    return SandboxResponse.json(200, machines);
  }

  private SandboxResponse createMachine(String appName, SandboxRequest request) {
    Optional<FlyAccount.App> app = account.app(appName);
    if (app.isEmpty()) {
      return SandboxResponse.error(404, "app not found");
    }
    Optional<JsonNode> body = parse(request.body());
    if (body.isEmpty() || !(body.get().path("config") instanceof ObjectNode config)) {
      return SandboxResponse.error(400, "config is required");
    }
    if (config.path("image").asText("").isBlank()) {
      return SandboxResponse.error(400, "config.image is required");
    }
    synchronized (account) {
      FlyAccount.Machine machine = account.createMachine(app.get(), textOrNull(body.get(), "name"),
          body.get().path("region").asText("ord"), config.deepCopy());
      return SandboxResponse.json(200, machine(machine));
    }
  }

  private SandboxResponse showMachine(String appName, String id) {
    Optional<FlyAccount.App> app = account.app(appName);
    if (app.isEmpty()) {
      return SandboxResponse.error(404, "app not found");
    }
    synchronized (account) {
      return account.machine(app.get(), id)
          .map(machine -> SandboxResponse.json(200, machine(machine)))
          .orElseGet(() -> SandboxResponse.error(404, "machine not found"));
    }
  }

  private SandboxResponse updateMachine(String appName, String id, SandboxRequest request) {
    Optional<FlyAccount.App> app = account.app(appName);
    if (app.isEmpty()) {
      return SandboxResponse.error(404, "app not found");
    }
    Optional<JsonNode> body = parse(request.body());
    if (body.isEmpty() || !(body.get().path("config") instanceof ObjectNode config)) {
      return SandboxResponse.error(400, "config is required");
    }
    synchronized (account) {
      Optional<FlyAccount.Machine> machine = account.machine(app.get(), id);
      if (machine.isEmpty()) {
        return SandboxResponse.error(404, "machine not found");
      }
      account.updateMachine(app.get(), machine.get(), textOrNull(body.get(), "region"), config.deepCopy());
      return SandboxResponse.json(200, machine(machine.get()));
    }
  }

  private SandboxResponse startMachine(String appName, String id) {
    return onMachine(appName, id, (app, machine) -> {
      String previous = account.startMachine(app, machine);
      return SandboxResponse.json(200, json.createObjectNode().put("previous_state", previous).put("migrated", false)
          .put("new_host", ""));
    });
  }

  /** Stops the machine; the spec answers 200 with no content. */
  private SandboxResponse stopMachine(String appName, String id) {
    return onMachine(appName, id, (app, machine) -> {
      account.stopMachine(app, machine);
      return SandboxResponse.json(200, json.createObjectNode().put("ok", true));
    });
  }

  /** Acts on a machine under the account's lock; 404 when its app or the machine does not exist. */
  private SandboxResponse onMachine(String appName, String id,
      BiFunction<FlyAccount.App, FlyAccount.Machine, SandboxResponse> action) {
    Optional<FlyAccount.App> app = account.app(appName);
    if (app.isEmpty()) {
      return SandboxResponse.error(404, "app not found");
    }
    synchronized (account) {
      Optional<FlyAccount.Machine> machine = account.machine(app.get(), id);
      if (machine.isEmpty()) {
        return SandboxResponse.error(404, "machine not found");
      }
      return action.apply(app.get(), machine.get());
    }
  }

  /**
   * Blocks until the machine reaches the state or the timeout (seconds) expires. An expired wait is
   * answered 408 with an error body, as the live API answers it; the 2024-01 spec lists only 200
   * and 400.
   */
  private SandboxResponse waitMachine(String appName, String id, SandboxRequest request) throws InterruptedException {
    Optional<FlyAccount.App> app = account.app(appName);
    if (app.isEmpty()) {
      return SandboxResponse.error(404, "app not found");
    }
    String state = Optional.ofNullable(request.queryParameter("state")).orElse("started");
    if (!WAIT_STATES.contains(state)) {
      return SandboxResponse.error(400, "invalid state '" + state + "'");
    }
    int timeout;
    try {
      timeout = Optional.ofNullable(request.queryParameter("timeout")).map(Integer::parseInt).orElse(MAX_WAIT_SECONDS);
    } catch (NumberFormatException e) {
      return SandboxResponse.error(400, "timeout must be a number of seconds");
    }
    if (timeout < 1 || timeout > MAX_WAIT_SECONDS) {
      return SandboxResponse.error(400, "timeout must be between 1 and " + MAX_WAIT_SECONDS + " seconds");
    }
    String instance = request.queryParameter("instance_id");
    return switch (account.awaitState(app.get(), id, instance, state, Duration.ofSeconds(timeout))) {
      case REACHED -> SandboxResponse.json(200, json.createObjectNode().put("ok", true));
      case TIMED_OUT -> SandboxResponse.error(408, "deadline_exceeded: machine " + id + " did not reach state "
          + state + " within " + timeout + "s");
      case NOT_FOUND -> SandboxResponse.error(404, "machine not found");
    };
  }

  private ObjectNode app(FlyAccount.App app) {
    ObjectNode node = json.createObjectNode().put("id", app.id).put("name", app.name)
        .put("status", account.machines(app).isEmpty() ? "pending" : "deployed");
    node.putObject("organization").put("name", app.org.name).put("slug", app.org.slug);
    return node;
  }

  /** Must be called holding the account's lock. */
  private ObjectNode machine(FlyAccount.Machine machine) {
    ObjectNode node = json.createObjectNode()
        .put("id", machine.id)
        .put("name", machine.name)
        .put("state", machine.state)
        .put("region", machine.region)
        .put("instance_id", machine.instanceId)
        .put("private_ip", "fdaa:0:1:a7b:1::" + machine.id.substring(0, 4))
        .put("created_at", machine.createdAt.toString())
        .put("updated_at", machine.updatedAt.toString());
    node.set("config", machine.config.deepCopy());
    node.set("checks", machine.checks.deepCopy());
    return node;
  }

  private Optional<JsonNode> parse(String body) {
    try {
      return body.isBlank() ? Optional.empty() : Optional.of(json.readTree(body));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
