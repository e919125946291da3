package dev.silo.activities.fly;

import dev.silo.workflows.fly.InspectFlyAppRequest;
import dev.silo.workflows.fly.FlyMachineState;
import dev.silo.workflows.fly.FlyAppState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.activities.database.SecretStore;
import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.SecretRef;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DeleteOrganizationRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.FlyOrganizationDeleted;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppPowered;
import dev.silo.workflows.fly.PowerFlyAppRequest;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.fly.FlyOrganization;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FlyActivities} on Fly.io's GraphQL API (organizations) and Machines API (apps, machines).
 *
 * <p>Every step looks before it creates, so a retry or a re-run finds what an earlier attempt made:
 * an organization or an app of the organization is reused, a machine whose metadata carries the
 * config's hash is left alone, one with another hash is updated in place. A silo runs one machine
 * per app: when an app holds more, the one carrying the hash is kept, or else the first is updated,
 * and the others are left as they are. The token is read once from the environment and only ever
 * sent in the Authorization header.
 *
 * <p>One instance serves a worker and owns its {@link MachineWatch}: the machine waits of every
 * {@code AwaitMachine} on the worker go through it, so they hold no worker slot and their calls to
 * Fly are bounded in one place.
 *
 * <p>It is one unit over 300 lines because it is the one implementation of {@link FlyActivities}:
 * each activity is a short method over the same client, mapper and secrets, and the deploy and the
 * drift check's expected hash must go through the very same mapping.
 */
public final class FlyActivitiesImpl implements FlyActivities, AutoCloseable {

  /** The API token: a macaroon ({@code fm2_…}, sent as {@code FlyV1}) or a personal token (Bearer). */
  public static final String TOKEN_VARIABLE = "FLY_API_TOKEN";

  /** The Machines API's base URL; defaults to {@value #DEFAULT_API_URL}. */
  public static final String API_URL_VARIABLE = "FLY_API_URL";

  /** The GraphQL endpoint; defaults to {@value #DEFAULT_GRAPHQL_URL}. */
  public static final String GRAPHQL_URL_VARIABLE = "FLY_GRAPHQL_URL";

  /**
   * The public host name of an app, {@code {app}} standing for its name; defaults to {@value
   * #DEFAULT_HOSTNAME_TEMPLATE}. The demo points it at the sandbox's loopback address.
   */
  public static final String HOSTNAME_TEMPLATE_VARIABLE = "FLY_APP_HOSTNAME_TEMPLATE";

  public static final String DEFAULT_API_URL = "https://api.machines.dev";
  public static final String DEFAULT_GRAPHQL_URL = "https://api.fly.io/graphql";
  public static final String DEFAULT_HOSTNAME_TEMPLATE = "{app}.fly.dev";

  private static final Logger log = LoggerFactory.getLogger(FlyActivitiesImpl.class);

  /** States in which a machine whose config is current gets started rather than replaced. */
  private static final Set<String> RESTARTABLE = Set.of("stopped", "suspended");
  private static final Set<String> GONE = Set.of("destroying", "destroyed");

  private final FlyClient client;
  private final MachineConfigMapper mapper;
  private final MachineWait wait;
  private final MachineWatch watch;
  private final String hostnameTemplate;
  private final Function<SecretRef, String> secrets;
  private final AppPower power;

  FlyActivitiesImpl(FlyClient client, MachineConfigMapper mapper, String hostnameTemplate, DeployTimeouts timeouts,
      Function<SecretRef, String> secrets) {
    this.client = client;
    this.secrets = secrets;
    this.mapper = mapper;
    this.wait = new MachineWait(client, timeouts);
    this.watch = new MachineWatch(client, timeouts, MachineWatch.DEFAULT_CONCURRENT_CALLS);
    this.hostnameTemplate = hostnameTemplate;
    this.power = new AppPower(client, timeouts);
  }

  /**
   * The activities on the worker's Fly settings. Secret references are resolved from {@code
   * secrets}, the store the database activities keep.
   */
  public FlyActivitiesImpl(FlySettings settings, SecretStore secrets) {
    this(settings, DeployTimeouts.DEFAULT, secrets);
  }

  FlyActivitiesImpl(FlySettings settings, DeployTimeouts timeouts, SecretStore secrets) {
    this(settings, new ObjectMapper(), timeouts, secrets);
  }

  private FlyActivitiesImpl(FlySettings settings, ObjectMapper json, DeployTimeouts timeouts, SecretStore secrets) {
    this(client(settings, json), new MachineConfigMapper(json), settings.hostnameTemplate(), timeouts,
        secrets::resolve);
  }

  private static FlyClient client(FlySettings settings, ObjectMapper json) {
    return new FlyClient(FlyClient.defaultHttpClient(), HttpUrl.parse(settings.apiUrl()),
        HttpUrl.parse(settings.graphqlUrl()), FlyToken.of(settings.token().reveal()), json);
  }

  @Override
  public FlyOrganization ensureOrganization(EnsureOrganizationRequest request) {
    Optional<FlyClient.Organization> existing = client.organization(request.slug());
    if (existing.isPresent()) {
      log.info("Fly organization {} exists", request.slug());
      return new FlyOrganization(existing.get().slug(), existing.get().id(), false);
    }
    FlyClient.Organization created = client.createOrganization(request.slug());
    log.info("Fly organization {} created", created.slug());
    return new FlyOrganization(created.slug(), created.id(), true);
  }

  @Override
  public FlyAppsFound findApps(FindFlyAppsRequest request) {
    List<String> existing = request.appNames().stream().filter(name -> client.app(name).isPresent()).toList();
    log.info("Fly apps that exist already: {}", existing.isEmpty() ? "none" : existing);
    if (request.org() == null) {
      return new FlyAppsFound(existing);
    }
    boolean organization = client.organization(request.org()).isPresent();
    log.info("Fly organization {} {}", request.org(), organization ? "exists already" : "does not exist yet");
    return new FlyAppsFound(existing, organization);
  }

  @Override
  public FlyApp createApp(CreateFlyAppRequest request) {
    Optional<FlyClient.App> existing = client.app(request.appName());
    if (existing.isPresent()) {
      return reuse(existing.get(), request);
    }
    FlyClient.AppCreation creation = client.createApp(request.appName(), request.org());
    if (creation instanceof FlyClient.AppNameRefused refused) {
      // Refused because it exists: created by a concurrent or earlier attempt, or by someone else.
      return client.app(request.appName())
          .map(app -> reuse(app, request))
          .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
              "Fly refused app " + request.appName() + " (HTTP " + refused.status() + "): " + refused.message(),
              FailureType.VENDOR_REJECTED.type()));
    }
    log.info("Fly app {} created in {}", request.appName(), request.org());
    return new FlyApp(request.appName(), request.org(), true);
  }

  private static FlyApp reuse(FlyClient.App app, CreateFlyAppRequest request) {
    if (!request.org().equals(app.orgSlug())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Fly app name " + request.appName() + " is taken outside organization " + request.org(),
          FailureType.VENDOR_REJECTED.type());
    }
    log.info("Fly app {} exists in {}; reused", request.appName(), request.org());
    return new FlyApp(request.appName(), request.org(), false);
  }

  @Override
  public FlyDeployment deployApp(DeployFlyAppRequest request) {
    FlyMachine machine = submitMachine(request);
    FlyClient.Machine started =
        wait.untilHealthy(machine.appName(), machine.machineId(), machine.instanceId(), ActivityHeartbeat.current()::beat);
    return deployment(machine.appName(), started);
  }

  @Override
  public FlyMachine submitMachine(DeployFlyAppRequest request) {
    String app = request.appName();
    MachinePlan plan = mapper.plan(request.spec(), machineSecrets(request));
    List<FlyClient.Machine> machines =
        client.machines(app).stream().filter(machine -> !GONE.contains(machine.state())).toList();
    Optional<FlyClient.Machine> current =
        machines.stream().filter(machine -> plan.configHash().equals(machine.configHash())).findFirst();
    String machineId;
    String instanceId;
    if (current.isPresent() && !"failed".equals(current.get().state())) {
      machineId = current.get().id();
      instanceId = current.get().instanceId();
      if (RESTARTABLE.contains(current.get().state())) {
        log.info("Fly app {}: machine {} runs this config but is {}; starting it", app, machineId, current.get().state());
        client.startMachine(app, machineId);
      } else {
        log.info("Fly app {}: machine {} already runs this config; left alone", app, machineId);
      }
    } else if (!machines.isEmpty()) {
      FlyClient.Machine target = current.orElse(machines.get(0));
      FlyClient.Machine updated = client.updateMachine(app, target.id(), plan);
      machineId = updated.id();
      instanceId = updated.instanceId();
      log.info("Fly app {}: machine {} updated to config {}", app, machineId, plan.configHash());
    } else {
      FlyClient.Machine created = client.createMachine(app, plan);
      machineId = created.id();
      instanceId = created.instanceId();
      log.info("Fly app {}: machine {} created with config {}", app, machineId, plan.configHash());
    }
    return new FlyMachine(app, machineId, instanceId);
  }

  /** The hash {@link #submitMachine} looks for: the same mapper, the same secrets. */
  @Override
  public String expectedConfigHash(DeployFlyAppRequest request) {
    return mapper.plan(request.spec(), machineSecrets(request)).configHash();
  }

  /**
   * Hands the machine to the worker's watcher and returns without completing: the watcher completes
   * the activity, and heartbeats for it meanwhile, through Temporal's completion client.
   */
  @Override
  public FlyDeployment awaitMachine(FlyMachine machine) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    AwaitCompletion completion = new AwaitCompletion(context.getWorkflowClient().newActivityCompletionClient(),
        context.getTaskToken(), started -> deployment(machine.appName(), started));
    context.doNotCompleteOnReturn();
    watch.watch(machine.appName(), machine.machineId(), machine.instanceId(), completion);
    return null;
  }

  private FlyDeployment deployment(String app, FlyClient.Machine started) {
    return new FlyDeployment(app, started.id(), started.state(), hostnameTemplate.replace("{app}", app),
        publicPorts(started.config()));
  }

  /**
   * The machine's secret environment: the values a request of a run that started before secrets
   * were passed by reference carries, and every reference resolved from the secret store.
   */
  private Map<String, String> machineSecrets(DeployFlyAppRequest request) {
    if (request.secretRefs().isEmpty()) {
      return request.secrets();
    }
    Map<String, String> resolved = new LinkedHashMap<>(request.secrets());
    request.secretRefs().forEach((variable, ref) -> resolved.put(variable, secrets.apply(ref)));
    return resolved;
  }

  @Override
  public FlyAppDestroyed destroyApp(DestroyFlyAppRequest request) {
    Optional<FlyClient.App> app = client.app(request.appName());
    if (app.isEmpty()) {
      log.info("Fly app {} is already gone", request.appName());
      return new FlyAppDestroyed(request.appName(), true);
    }
    if (!request.org().equals(app.get().orgSlug())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Fly app " + request.appName() + " belongs to another organization than " + request.org()
              + "; it was not destroyed", FailureType.FORBIDDEN.type());
    }
    boolean destroyed = client.deleteApp(request.appName());
    log.info("Fly app {} {}", request.appName(), destroyed ? "destroyed" : "was already gone");
    return new FlyAppDestroyed(request.appName(), !destroyed);
  }

  @Override
  public FlyAppPowered stopMachines(PowerFlyAppRequest request) {
    return power.power(request, AppPower.Target.STOPPED);
  }

  @Override
  public FlyAppPowered startMachines(PowerFlyAppRequest request) {
    return power.power(request, AppPower.Target.STARTED);
  }

  @Override
  public FlyOrganizationDeleted deleteOrganizationIfEmpty(DeleteOrganizationRequest request) {
    Optional<FlyClient.Organization> org = client.organization(request.slug());
    if (org.isEmpty()) {
      log.info("Fly organization {} is already gone", request.slug());
      return new FlyOrganizationDeleted(request.slug(), false, true, List.of());
    }
    List<String> remaining = client.appNames(request.slug());
    if (!remaining.isEmpty()) {
      log.info("Fly organization {} is kept: it still holds {}", request.slug(), remaining);
      return new FlyOrganizationDeleted(request.slug(), false, false, remaining);
    }
    boolean deleted = client.deleteOrganization(org.get());
    log.info("Fly organization {} {}", request.slug(), deleted ? "deleted" : "was already gone");
    return new FlyOrganizationDeleted(request.slug(), deleted, !deleted, List.of());
  }

  /**
   * Stops the machine watcher: the machine waits under way are abandoned, and their activities time
   * out by heartbeat and are retried on a worker that lives.
   */
  @Override
  public void close() {
    watch.close();
  }

  /** Each service's internal port, to the public port of its first port mapping. */
  private static Map<String, Integer> publicPorts(JsonNode config) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (JsonNode service : config.path("services")) {
      JsonNode first = service.path("ports").path(0).path("port");
      if (service.path("internal_port").isInt() && first.isInt()) {
        ports.putIfAbsent(String.valueOf(service.path("internal_port").asInt()), first.asInt());
      }
    }
    return ports;
  }

  @Override
  public FlyAppState inspectApp(InspectFlyAppRequest request) {
    Optional<FlyClient.App> app = client.app(request.appName());
    if (app.isEmpty()) {
      return new FlyAppState(request.appName(), false, null, List.of());
    }
    List<FlyMachineState> machines = client.machines(request.appName()).stream()
        .filter(machine -> !GONE.contains(machine.state()))
        .map(machine -> new FlyMachineState(machine.id(), machine.state(), machine.instanceId(), machine.configHash()))
        .toList();
    return new FlyAppState(request.appName(), true, app.get().orgSlug(), machines);
  }
}
