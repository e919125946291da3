package dev.silo.workflows.silo;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.TestTrust;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.Healthcheck;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.database.ApplyMigrationsRequest;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.EnsureSecretsRequest;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.PublicSiloKeys;
import dev.silo.workflows.database.SecretsReady;
import dev.silo.workflows.database.SiloKeys;
import dev.silo.workflows.database.SiloSecrets;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.fly.FlyMachineConfig;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.git.PushBranchRequest;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyBuild;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.notify.WebhookDelivery;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The silo {@code acme-crm} as its generated config directory describes it, and the activity mocks
 * answering as healthy systems do. Tests change only the answers their row of the failure table is
 * about. Every secret is an obviously fake value, because recorded histories are committed.
 */
final class SiloFixture {

  static final String CLIENT = "acme";
  static final String APP = "crm";
  static final String WORKFLOW_ID = "silo-acme-crm";
  static final String REQUESTER = "alice";
  static final String APPROVER = "bob";
  static final String BRANCH = "silo/acme-crm";
  static final String BASE_COMMIT = "4f2a9c1e7b3d5a60918c2e4f6a8b0c1d2e3f4a5b";
  static final String FOREIGN_COMMIT = "9d8c7b6a5f4e3d2c1b0a99887766554433221100";
  static final String SITE_NAME = "acme-crm-web";
  static final String PREVIEW_URL = "https://silo-acme-crm--" + SITE_NAME + ".netlify.app";
  static final String DATABASE_PASSWORD = "test-db-password";
  static final String JWT_SECRET = "test-jwt-secret";
  static final String ANON_KEY = "test-anon-key";
  static final String SERVICE_ROLE_KEY = "test-service-role-key";
  static final String SECRETS_FINGERPRINT = "test-fingerprint";
  static final List<String> MIGRATION_VERSIONS = List.of("20250101120000", "20250102093000");

  final ConfigActivities config = activityMock(ConfigActivities.class);
  final DeskActivities desk = activityMock(DeskActivities.class);
  final DockerActivities docker = activityMock(DockerActivities.class);
  final FlyActivities fly = activityMock(FlyActivities.class);
  final DatabaseActivities database = activityMock(DatabaseActivities.class);
  final GitActivities git = activityMock(GitActivities.class);
  final NetlifyActivities netlify = activityMock(NetlifyActivities.class);
  /** The "a person is needed" messages; a worker without their webhook, until a test says otherwise. */
  final NotifyActivities notify = activityMock(NotifyActivities.class);

  private TestWorkflowEnvironment env;

  /** The worker's allowed signers, as the tests set them; none until they do. */
  final TestTrust trust = new TestTrust();
  private String taskQueue;

  SiloFixture() {
    answerAsHealthySystems();
  }

  /**
   * A time-skipping test environment per test with the silo's search attributes registered, left
   * unstarted so {@link #start} can add the Docker queue's worker first.
   */
  static TestWorkflowExtension testEnvironment(Class<?>... workflowTypes) {
    TestWorkflowExtension.Builder builder = TestWorkflowExtension.newBuilder()
        .registerWorkflowImplementationTypes(workflowTypes)
        .setDoNotStart(true);
    for (SearchAttributeKey<String> key : List.of(SiloSearchAttributes.CLIENT, SiloSearchAttributes.APP,
        SiloSearchAttributes.STEP, SiloSearchAttributes.STATUS)) {
      builder.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return builder.build();
  }

  /**
   * Registers the Docker mock on the Docker queue, as a worker beside the engine would serve it,
   * and every other mock on the workflow's queue, then starts the environment. Call it from a
   * {@code @BeforeEach} that receives the {@link #testEnvironment}'s environment and worker.
   */
  void start(TestWorkflowEnvironment env, Worker workflowWorker) {
    start(env, workflowWorker, Map.of(TaskQueues.DOCKER, docker));
  }

  /**
   * Like {@link #start(TestWorkflowEnvironment, Worker)}, with one worker per container engine host:
   * each Docker task queue is served by the implementation given for it, as a worker beside that
   * engine would serve it.
   */
  void start(TestWorkflowEnvironment env, Worker workflowWorker, Map<String, DockerActivities> engines) {
    this.env = env;
    this.taskQueue = workflowWorker.getTaskQueue();
    engines.forEach((queue, engine) -> env.newWorker(queue).registerActivitiesImplementations(engine));
    workflowWorker.registerActivitiesImplementations(config, desk, fly, database, git, netlify, notify, trust);
    env.start();
  }

  /** Makes the silo's config directory name the Docker task queue of the engine host that runs it. */
  void configNamesDockerTaskQueue(String dockerTaskQueue) {
    doAnswer(call -> config(dockerTaskQueue)).when(config).loadSiloConfig(any());
  }

  /** The environment {@link #start} started. */
  TestWorkflowEnvironment env() {
    return env;
  }

  /** The workflow worker's task queue. */
  String taskQueue() {
    return taskQueue;
  }

  /** Starts a silo deployment run on the workflow worker's queue and returns without waiting for it. */
  SiloRun startRun(SiloDeploymentRequest request) {
    return SiloRun.start(env, taskQueue, request);
  }

  static SiloDeploymentRequest request() {
    return request(ApprovalPolicy.defaults());
  }

  static SiloDeploymentRequest request(ApprovalPolicy approval) {
    return new SiloDeploymentRequest(CLIENT, APP, REQUESTER, "/srv/silo/config/silos", approval, null);
  }

  /** A request naming the Docker task queue explicitly, which wins over the config's. */
  static SiloDeploymentRequest request(String dockerTaskQueue) {
    return new SiloDeploymentRequest(CLIENT, APP, REQUESTER, "/srv/silo/config/silos", ApprovalPolicy.defaults(),
        dockerTaskQueue);
  }

  static ApprovalPolicy onlyApprovers(String... approvers) {
    return new ApprovalPolicy(List.of(approvers), false, ApprovalPolicy.DEFAULT_TIMEOUT);
  }

  static String flyApp(String service) {
    return "devenv-acme-crm-" + service;
  }

  /** Four Compose services: a database with a healthcheck, two APIs waiting for it, a gateway in front. */
  static SiloConfig config() {
    return config(null);
  }

  /** {@link #config()}, naming the Docker task queue as {@code silo.yml} does, or none when null. */
  static SiloConfig config(String dockerTaskQueue) {
    Healthcheck pgIsReady = new Healthcheck(List.of("CMD-SHELL", "pg_isready -U postgres -h localhost"),
        Duration.ofSeconds(5), Duration.ofSeconds(5), 10, Duration.ofSeconds(10));
    ComposeService db = service("db", "supabase/postgres:15.8.1.060", Map.of(), List.of("54322:5432"), pgIsReady);
    ComposeService auth = service("auth", "supabase/gotrue:v2.177.0", dependsOn("db", ComposeService.SERVICE_HEALTHY),
        List.of(), null);
    ComposeService rest = service("rest", "postgrest/postgrest:v12.2.12",
        dependsOn("db", ComposeService.SERVICE_HEALTHY), List.of(), null);
    Map<String, String> gatewayWaitsFor = new LinkedHashMap<>();
    gatewayWaitsFor.put("auth", "service_started");
    gatewayWaitsFor.put("rest", "service_started");
    ComposeService kong = service("kong", "kong:2.8.1", gatewayWaitsFor, List.of("54321:8000"), null);
    return new SiloConfig(
        CLIENT,
        APP,
        "/srv/silo/config/silos/acme-crm",
        "docker-compose.silo-acme-crm.yml",
        List.of(db, auth, rest, kong),
        SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyAppSpec).toList(),
        Map.of("VITE_APP_ENV", "development"),
        List.of(
            new MigrationFile(MIGRATION_VERSIONS.get(0), "create_customers", "20250101120000_create_customers.sql",
                "create table public.customers (id bigint generated always as identity primary key,"
                    + " name text not null);"),
            new MigrationFile(MIGRATION_VERSIONS.get(1), "enable_rls", "20250102093000_enable_rls.sql",
                "alter table public.customers enable row level security;")),
        dockerTaskQueue);
  }

  private static ComposeService service(String name, String image, Map<String, String> dependsOn, List<String> ports,
      Healthcheck healthcheck) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SILO_SERVICE", name);
    return new ComposeService(name, image, List.of(), List.of(), environment, ports, List.of(), dependsOn,
        healthcheck, Map.of(), "unless-stopped", List.of(), null, null);
  }

  private static Map<String, String> dependsOn(String service, String condition) {
    Map<String, String> dependsOn = new LinkedHashMap<>();
    dependsOn.put(service, condition);
    return dependsOn;
  }

  private static FlyAppSpec flyAppSpec(String service) {
    int port = switch (service) {
      case "pg" -> 5432;
      case "rest" -> 3000;
      case "auth" -> 9999;
      case "kong" -> 8000;
      case "storage" -> 5000;
      default -> 3000;
    };
    String image = "registry.fly.io/supabase-" + service + ":2025.01";
    Map<String, String> env = Map.of("SILO_SERVICE", service);
    FlyMachineConfig.Service httpService = new FlyMachineConfig.Service("tcp", port, null, null, null, List.of(
        new FlyMachineConfig.Port(80, null, null, List.of("http"), true, null, null, null),
        new FlyMachineConfig.Port(443, null, null, List.of("tls", "http"), null, null, null, null)), null, List.of());
    FlyMachineConfig machine = new FlyMachineConfig(image, env, new FlyMachineConfig.Guest("shared", 1, 256),
        List.of(httpService), Map.of(), null);
    return new FlyAppSpec(service, "fly/" + service + ".toml", flyApp(service), image, "fra", env, machine, null);
  }

  private void answerAsHealthySystems() {
    doAnswer(call -> config()).when(config).loadSiloConfig(any());
    doAnswer(call -> WebhookDelivery.notConfigured()).when(notify).notify(any());

    doAnswer(call -> new DeskApplication(CLIENT, APP, "Acme CRM", Map.of())).when(desk).getApplication(any());
    doAnswer(call -> new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(),
        false)).when(desk).updateSiloStatus(any());
    doAnswer(call -> new DeskAck("log_silo_event", call.<LogSiloEventRequest>getArgument(0).idempotencyKey(), false))
        .when(desk).logSiloEvent(any());
    doAnswer(call -> new DeskAck("applications.update",
        call.<UpdateApplicationRequest>getArgument(0).idempotencyKey(), false)).when(desk).updateApplication(any());

    doAnswer(call -> new ComposeNetwork(call.<EnsureNetworkRequest>getArgument(0).project() + "_default",
        "net-0b7e4c", true)).when(docker).ensureNetwork(any());
    doAnswer(call -> startedContainer(call.getArgument(0))).when(docker).startContainer(any());

    // Nothing exists before the run; an organization is answered for only when asked for.
    doAnswer(call -> new FlyAppsFound(List.of(), call.<FindFlyAppsRequest>getArgument(0).org() == null ? null : false))
        .when(fly).findApps(any());
    doAnswer(call -> new FlyOrganization(call.<EnsureOrganizationRequest>getArgument(0).slug(), "org-acme-crm", true))
        .when(fly).ensureOrganization(any());
    doAnswer(call -> {
      CreateFlyAppRequest request = call.getArgument(0);
      return new FlyApp(request.appName(), request.org(), true);
    }).when(fly).createApp(any());
    doAnswer(call -> startedMachine(call.getArgument(0))).when(fly).deployApp(any());
    // Runs since the submit-then-await change submit each machine, then wait for it in a second
    // activity. The wait answers, or fails, as the test's deployApp answer for that app does, so one
    // answer describes an app's deploy whichever way the run deploys it.
    Map<String, DeployFlyAppRequest> submitted = new ConcurrentHashMap<>();
    doAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      submitted.put(request.appName(), request);
      return new FlyMachine(request.appName(), "machine-" + request.spec().service(), "instance-1");
    }).when(fly).submitMachine(any());
    doAnswer(call -> fly.deployApp(submitted.get(call.<FlyMachine>getArgument(0).appName())))
        .when(fly).awaitMachine(any());
    doAnswer(call -> new FlyAppDestroyed(call.<DestroyFlyAppRequest>getArgument(0).appName(), false))
        .when(fly).destroyApp(any());

    doAnswer(call -> new SiloSecrets(DATABASE_PASSWORD, JWT_SECRET)).when(database).ensureSecrets(any());
    doAnswer(call -> new SecretsReady(call.<EnsureSecretsRequest>getArgument(0).siloId(), SECRETS_FINGERPRINT))
        .when(database).prepareSecrets(any());
    doAnswer(call -> new MigrationResult(call.<ApplyMigrationsRequest>getArgument(0).migrations().stream()
        .map(MigrationFile::version).toList(), List.of())).when(database).applyMigrations(any());
    doAnswer(call -> new SiloKeys(ANON_KEY, SERVICE_ROLE_KEY)).when(database).mintKeys(any());
    doAnswer(call -> new PublicSiloKeys(ANON_KEY)).when(database).mintSiloKeys(any());

    doAnswer(call -> new BranchStatus(BRANCH, false, null, "main", BASE_COMMIT)).when(git).getBranchStatus(any());
    doAnswer(call -> pushed(call.getArgument(0))).when(git).pushBranch(any());

    // The branch is not configured before the run; answered only when a branch is asked about.
    doAnswer(call -> new NetlifySite("site-acme-crm-web", SITE_NAME,
        call.<DescribeSiteRequest>getArgument(0).branch() == null ? null : false)).when(netlify).describeSite(any());
    doAnswer(call -> new NetlifyBranchConfig("site-acme-crm-web",
        call.<ConfigureBranchDeployRequest>getArgument(0).branch(), false, PREVIEW_URL))
        .when(netlify).configureBranchDeploy(any());
    doAnswer(call -> new NetlifyBuild("build-5f1e", "deploy-" + call.<TriggerBuildRequest>getArgument(0).branch()
        .replace('/', '-'))).when(netlify).triggerBuild(any());
    doAnswer(call -> new BranchBuild("build-5f1e", "deploy-" + call.<BuildBranchRequest>getArgument(0).branch()
        .replace('/', '-'), "new", true, PREVIEW_URL)).when(netlify).buildBranch(any());
    doAnswer(call -> new NetlifyDeploy(call.<AwaitDeployRequest>getArgument(0).deployId(), "ready", PREVIEW_URL))
        .when(netlify).awaitDeploy(any());
  }

  static ContainerResult startedContainer(StartContainerRequest request) {
    ComposeService service = request.service();
    ContainerHealth health = service.healthcheck() == null ? ContainerHealth.RUNNING : ContainerHealth.HEALTHY;
    return new ContainerResult(service.name(), request.project() + "-" + service.name() + "-1", health, null,
        true);
  }

  static FlyDeployment startedMachine(DeployFlyAppRequest request) {
    String service = request.spec().service();
    Map<String, Integer> ports = "pg".equals(service) ? Map.of("5432", 5432) : Map.of();
    return new FlyDeployment(request.appName(), "machine-" + service, "started", request.appName() + ".fly.dev",
        ports);
  }

  private static BranchResult pushed(PushBranchRequest request) {
    if (request.force()) {
      return new BranchResult(request.branch(), BASE_COMMIT, request.expectedCommit(), BranchOutcome.OVERWRITTEN);
    }
    return new BranchResult(request.branch(), BASE_COMMIT, null, BranchOutcome.CREATED);
  }

  private static <T> T activityMock(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  /** Makes the Netlify look-up before the configuration find the branch configured already. */
  void branchConfiguredBefore() {
    doAnswer(call -> new NetlifySite("site-acme-crm-web", SITE_NAME,
        call.<DescribeSiteRequest>getArgument(0).branch() == null ? null : true)).when(netlify).describeSite(any());
  }
}
