package dev.silo.sandbox.netlify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.sandbox.netlify.NetlifySandbox.Build;
import dev.silo.sandbox.netlify.NetlifySandbox.Deploy;
import dev.silo.sandbox.netlify.NetlifySandbox.EnvValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Netlify account with one site: its allowed branches, its environment variables (values per
 * deploy context), and its builds and deploys. Every method is synchronized: the sandbox serves
 * requests concurrently and moves deploys along from a timer thread.
 *
 * <p>It is one unit over 300 lines because it is one account's state under one lock: site,
 * variables, builds and deploys change together, and the timer moves deploys on the same state.
 */
final class NetlifyState {

  /** Netlify stores one value per context, and per branch for the {@code branch} context. */
  private record StoredValue(String id, String context, String contextParameter, String value) {

    boolean sameSlot(String otherContext, String otherParameter) {
      return context.equals(otherContext) && Objects.equals(contextParameter, otherParameter);
    }
  }

  private static final List<String> ALL_SCOPES = List.of("builds", "functions", "runtime", "post-processing");

  private final ObjectMapper json;
  private final AtomicLong ids = new AtomicLong(0x5170_0000L);
  private final String siteId = UUID.randomUUID().toString();
  private final String accountId;
  private final String accountSlug;
  private final String siteName;
  private final String productionBranch;
  private final List<String> allowedBranches;
  /** A branch another writer drops right after the next site update, or null. */
  private String droppedAfterUpdate;
  private final Map<String, List<StoredValue>> siteEnv = new LinkedHashMap<>();
  private final Map<String, Build> builds = new LinkedHashMap<>();
  private final Map<String, Deploy> deploys = new LinkedHashMap<>();
  private final Map<String, Instant> createdAt = new LinkedHashMap<>();
  private String nextBuildFailure;
  private String nextBuildEnd;
  private int sitePatches;
  private int envWrites;

  NetlifyState(ObjectMapper json, String siteName, String accountSlug, List<String> allowedBranches) {
    this.json = json;
    this.accountId = nextId();
    this.accountSlug = accountSlug;
    this.siteName = siteName;
    this.productionBranch = allowedBranches.isEmpty() ? "main" : allowedBranches.get(0);
    this.allowedBranches = new ArrayList<>(allowedBranches);
  }

  String siteId() {
    return siteId;
  }

  String accountId() {
    return accountId;
  }

  String siteName() {
    return siteName;
  }

  synchronized List<String> allowedBranches() {
    return List.copyOf(allowedBranches);
  }

  synchronized Map<String, List<EnvValue>> envVars() {
    Map<String, List<EnvValue>> view = new LinkedHashMap<>();
    siteEnv.forEach((key, values) -> view.put(key, values.stream()
        .map(value -> new EnvValue(value.context(), value.contextParameter(), value.value()))
        .toList()));
    return view;
  }

  synchronized List<Build> builds() {
    return List.copyOf(builds.values());
  }

  synchronized List<Deploy> deploys() {
    return List.copyOf(deploys.values());
  }

  synchronized int sitePatches() {
    return sitePatches;
  }

  synchronized int envWrites() {
    return envWrites;
  }

  synchronized void failNextBuild(String message) {
    nextBuildFailure = message;
  }

  synchronized void endNextBuild(String state) {
    nextBuildEnd = state;
  }

  synchronized void defineEnvValue(String key, EnvValue value) {
    store(key, value.context(), value.contextParameter(), value.value());
  }

  synchronized void deleteEnvVar(String key) {
    siteEnv.remove(key);
  }

  // --- sites

  synchronized JsonNode getSite(String id) {
    requireSite(id);
    return siteJson();
  }

  /**
   * Applies a site update. Netlify's UI and CLI send allowed branches either in {@code
   * build_settings} or, as the create-site body does, in {@code repo}; both are honoured. Other
   * fields are accepted and ignored: the sandbox only models branch deploys.
   */
  synchronized JsonNode updateSite(String id, JsonNode body) {
    requireSite(id);
    for (String holder : List.of("build_settings", "repo")) {
      JsonNode branches = body.path(holder).path("allowed_branches");
      if (branches.isArray()) {
        allowedBranches.clear();
        branches.forEach(branch -> allowedBranches.add(branch.asText()));
      }
    }
    sitePatches++;
    JsonNode answer = siteJson();
    if (droppedAfterUpdate != null) {
      allowedBranches.remove(droppedAfterUpdate);
      droppedAfterUpdate = null;
    }
    return answer;
  }

  synchronized void dropAllowedBranchAfterNextUpdate(String branch) {
    droppedAfterUpdate = branch;
  }

  private ObjectNode siteJson() {
    ObjectNode site = json.createObjectNode()
        .put("id", siteId)
        .put("name", siteName)
        .put("state", "current")
        .put("url", "http://" + siteName + ".netlify.app")
        .put("ssl_url", "https://" + siteName + ".netlify.app")
        .put("admin_url", "https://app.netlify.com/projects/" + siteName)
        .put("account_id", accountId)
        .put("account_slug", accountSlug);
    ObjectNode settings = site.putObject("build_settings")
        .put("provider", "github")
        .put("repo_branch", productionBranch);
    ArrayNode branches = settings.putArray("allowed_branches");
    allowedBranches.forEach(branches::add);
    return site;
  }

  private void requireSite(String id) {
    if (!siteId.equals(id) && !siteName.equals(id)) {
      throw NetlifyError.notFound();
    }
  }

  // --- environment variables

  /** Site-level variables only: the sandbox has no account-level ones, so a request must name the site. */
  synchronized JsonNode getEnvVars(String account, String site) {
    requireScope(account, site);
    ArrayNode result = json.createArrayNode();
    siteEnv.keySet().forEach(key -> result.add(envVarJson(key)));
    return result;
  }

  synchronized JsonNode createEnvVars(String account, String site, JsonNode body) {
    requireScope(account, site);
    List<String> keys = new ArrayList<>();
    for (JsonNode variable : body) {
      String key = variable.path("key").asText("");
      if (key.isEmpty()) {
        throw new NetlifyError(400, "key is required");
      }
      if (siteEnv.containsKey(key) || keys.contains(key)) {
        throw new NetlifyError(409, "Environment variable " + key + " already exists");
      }
      for (JsonNode value : variable.path("values")) {
        requireSlot(value);
      }
      keys.add(key);
    }
    ArrayNode result = json.createArrayNode();
    for (JsonNode variable : body) {
      String key = variable.get("key").asText();
      siteEnv.put(key, new ArrayList<>());
      for (JsonNode value : variable.path("values")) {
        store(key, value.get("context").asText(), textOrNull(value, "context_parameter"),
            value.path("value").asText(""));
      }
      result.add(envVarJson(key));
    }
    envWrites++;
    return result;
  }

  synchronized JsonNode setEnvVarValue(String account, String site, String key, JsonNode body) {
    requireScope(account, site);
    if (!siteEnv.containsKey(key)) {
      throw new NetlifyError(404, "Environment variable " + key + " not found");
    }
    requireSlot(body);
    store(key, body.get("context").asText(), textOrNull(body, "context_parameter"),
        body.path("value").asText(""));
    envWrites++;
    return envVarJson(key);
  }

  /**
   * Deletes one value of a variable by its ID; the variable stays, with its other values (if none
   * is left, with none). A variable or value that does not exist is a 404.
   */
  synchronized void deleteEnvVarValue(String account, String site, String key, String id) {
    requireScope(account, site);
    List<StoredValue> values = siteEnv.get(key);
    if (values == null) {
      throw new NetlifyError(404, "Environment variable " + key + " not found");
    }
    if (!values.removeIf(stored -> stored.id().equals(id))) {
      throw new NetlifyError(404, "Environment variable value " + id + " of " + key + " not found");
    }
    envWrites++;
  }

  private void requireScope(String account, String site) {
    if (!accountId.equals(account) && !accountSlug.equals(account)) {
      throw NetlifyError.notFound();
    }
    if (site == null) {
      throw new NetlifyError(400, "the sandbox models site-level variables only: pass site_id");
    }
    requireSite(site);
  }

  private static void requireSlot(JsonNode value) {
    String context = value.path("context").asText("");
    if (context.isEmpty()) {
      throw new NetlifyError(400, "context is required");
    }
    boolean hasParameter = !value.path("context_parameter").asText("").isEmpty();
    if (context.equals("branch") != hasParameter) {
      throw new NetlifyError(400, "context_parameter is required with, and only with, context branch");
    }
  }

  private void store(String key, String context, String contextParameter, String value) {
    List<StoredValue> values = siteEnv.computeIfAbsent(key, unused -> new ArrayList<>());
    values.removeIf(stored -> stored.sameSlot(context, contextParameter));
    values.add(new StoredValue(UUID.randomUUID().toString(), context, contextParameter, value));
  }

  private ObjectNode envVarJson(String key) {
    ObjectNode variable = json.createObjectNode().put("key", key).put("is_secret", false);
    ALL_SCOPES.forEach(variable.putArray("scopes")::add);
    ArrayNode values = variable.putArray("values");
    for (StoredValue stored : siteEnv.get(key)) {
      ObjectNode value = values.addObject()
          .put("id", stored.id())
          .put("context", stored.context())
          .put("value", stored.value());
      if (stored.contextParameter() != null) {
        value.put("context_parameter", stored.contextParameter());
      }
    }
    return variable;
  }

  // --- builds and deploys

  synchronized JsonNode createBuild(String site, String branch, String title) {
    requireSite(site);
    String buildId = nextId();
    String deployId = nextId();
    String target = branch == null ? productionBranch : branch;
    builds.put(buildId, new Build(buildId, deployId, target, title));
    deploys.put(deployId, new Deploy(deployId, buildId, target, title, "new", null));
    createdAt.put(deployId, Instant.now());
    return buildJson(buildId);
  }

  /** The failure the next build is planned to end with, consumed by the build it applies to. */
  synchronized String takeBuildFailure() {
    String failure = nextBuildFailure;
    nextBuildFailure = null;
    return failure;
  }

  /** The state the next build is planned to end in other than ready or error, consumed likewise. */
  synchronized Optional<String> takeBuildEnd() {
    Optional<String> end = Optional.ofNullable(nextBuildEnd);
    nextBuildEnd = null;
    return end;
  }

  synchronized void moveDeploy(String deployId, String state, String errorMessage) {
    Deploy deploy = deploys.get(deployId);
    deploys.put(deployId, new Deploy(
        deploy.id(), deploy.buildId(), deploy.branch(), deploy.title(), state, errorMessage));
  }

  synchronized JsonNode listSiteDeploys(String site, String branch, String state, int page, int perPage) {
    requireSite(site);
    List<Deploy> matching = deploys.values().stream()
        .filter(deploy -> branch == null || branch.equals(deploy.branch()))
        .filter(deploy -> state == null || state.equals(deploy.state()))
        .sorted(Comparator.comparing((Deploy deploy) -> createdAt.get(deploy.id())).reversed())
        .toList();
    ArrayNode result = json.createArrayNode();
    matching.stream().skip((long) (page - 1) * perPage).limit(perPage)
        .forEach(deploy -> result.add(deployJson(deploy)));
    return result;
  }

  synchronized JsonNode getDeploy(String deployId) {
    Deploy deploy = deploys.get(deployId);
    if (deploy == null) {
      throw NetlifyError.notFound();
    }
    return deployJson(deploy);
  }

  private ObjectNode buildJson(String buildId) {
    Build build = builds.get(buildId);
    Deploy deploy = deploys.get(build.deployId());
    ObjectNode result = json.createObjectNode()
        .put("id", build.id())
        .put("deploy_id", build.deployId())
        .put("done", !deploy.state().equals("new") && !deploy.state().equals("building"))
        .put("created_at", createdAt.get(build.deployId()).toString());
    if (deploy.errorMessage() != null) {
      result.put("error", deploy.errorMessage());
    }
    return result;
  }

  private ObjectNode deployJson(Deploy deploy) {
    String permalink = deploy.id() + "--" + siteName + ".netlify.app";
    ObjectNode result = json.createObjectNode()
        .put("id", deploy.id())
        .put("site_id", siteId)
        .put("build_id", deploy.buildId())
        .put("state", deploy.state())
        .put("name", siteName)
        .put("url", "http://" + siteName + ".netlify.app")
        .put("ssl_url", "https://" + siteName + ".netlify.app")
        .put("deploy_url", "http://" + permalink)
        .put("deploy_ssl_url", "https://" + permalink)
        .put("branch", deploy.branch())
        .put("context", deploy.branch().equals(productionBranch) ? "production" : "branch-deploy")
        .put("created_at", createdAt.get(deploy.id()).toString());
    if (deploy.title() != null) {
      result.put("title", deploy.title());
    }
    if (deploy.errorMessage() != null) {
      result.put("error_message", deploy.errorMessage());
    }
    return result;
  }

  private String nextId() {
    return String.format("%024x", ids.incrementAndGet());
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }
}
