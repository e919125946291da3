package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.silo.activities.config.ConfigActivitiesImpl;
import dev.silo.activities.config.ConfigRoots;
import dev.silo.activities.config.SiloMigrationFiles;
import dev.silo.activities.database.DatabaseActivitiesImpl;
import dev.silo.activities.database.PostgresClientPrograms;
import dev.silo.activities.database.SecretStore;
import dev.silo.activities.docker.AgentImage;
import dev.silo.activities.docker.DockerActivitiesImpl;
import dev.silo.activities.docker.DockerEngine;
import dev.silo.activities.git.GitActivitiesImpl;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.client.codec.PayloadKey;
import dev.silo.client.codec.SiloDataConverter;
import dev.silo.worker.DevServer;
import dev.silo.worker.SiloActivities;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.database.SiloSecrets;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.silo.ApprovalPolicy;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/**
 * Steps 2 and 3 for real: the dev server, a worker whose config, Git, container and database
 * activities are the real ones, the real container engine and a real PostgreSQL standing in for
 * the Fly pg app; Fly, Netlify and the desk answer as mocks at the activity boundary.
 */
class SiloDeploymentEngineIT {

  private static final SiloNames NAMES = new SiloNames("acme", "crm");

  @TempDir
  Path work;

  private DockerEngine engine;
  private EmbeddedPostgres postgres;
  private DevServer server;
  private WorkflowServiceStubs stubs;
  private WorkerFactory workers;
  private WorkflowClient client;
  private SecretStore secrets;
  private final FlyActivities fly = mock(FlyActivities.class, withSettings().withoutAnnotations());
  private final NetlifyActivities netlify = mock(NetlifyActivities.class, withSettings().withoutAnnotations());
  private final DeskActivities desk = mock(DeskActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void start() throws Exception {
    EngineRequirement.require();
    engine = DockerEngine.detect(WorkerSettings.docker(System.getenv())).orElseThrow();
    AgentImage.ensure(engine);
    postgres = EmbeddedPostgres.builder().setPort(0).start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      connection.createStatement().execute(new String(
          getClass().getResourceAsStream("/supabase-baseline.sql").readAllBytes(), StandardCharsets.UTF_8));
    }
    Path configRoot = Files.createDirectories(work.resolve("config"));
    DemoConfig.copyExample(repository(), NAMES.siloId(), configRoot, true);
    Path remote = DemoEnvironment.createRemote(work.resolve("remote.git"));
    secrets = new SecretStore(work.resolve("state"), Clock.systemUTC());
    answerAsHealthySaaS();

    server = DevServer.startOnFreePort("default");
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(server.localAddress()).build());
    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
        .setDataConverter(SiloDataConverter.create(PayloadKey.of(key))).build());
    workers = SiloWorker.create(client, SiloWorker.Queues.DEFAULT, new SiloActivities(
        new ConfigActivitiesImpl(configRoot),
        new GitActivitiesImpl(remote.toString(), null, work.resolve("git-cache")),
        new DockerActivitiesImpl(engine), fly, netlify, desk,
        new DatabaseActivitiesImpl(secrets, new PostgresClientPrograms(System.getenv()), Clock.systemUTC(),
            new SiloMigrationFiles(ConfigRoots.of(configRoot))), null, null, null, null, null, null));
    workers.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) {
      new DockerActivitiesImpl(engine).teardown(new TeardownRequest(NAMES.composeProject(), true));
      engine.close();
    }
    if (workers != null) {
      workers.shutdownNow();
      stubs.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void givenTheExampleSilo_whenApproved_itShouldRunItsContainersMigrateItsDatabaseAndMintItsKeys() throws Exception {
    SiloDeploymentWorkflow run = client.newWorkflowStub(SiloDeploymentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(NAMES.workflowId()).setTaskQueue(TaskQueues.SILO).build());
    WorkflowClient.start(run::deploy, new SiloDeploymentRequest("acme", "crm", "bob", null,
        new ApprovalPolicy(List.of("alice"), false, Duration.ofMinutes(10)), null));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (run.progress().status() != SiloStatus.AWAITING_APPROVAL) {
      assertThat(System.nanoTime()).as("plan published within 60 s").isLessThan(deadline);
      Thread.sleep(200);
    }
    run.approve(new Decision("alice", "reviewed"));

    SiloReport report = client.newUntypedWorkflowStub(NAMES.workflowId()).getResult(SiloReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.containers()).hasSize(7).extracting(ContainerResult::health).containsOnly(ContainerHealth.HEALTHY);
    assertThat(runningContainers()).hasSize(7);
    assertThat(appliedMigrations()).containsExactly("20250115090000", "20250115091500");
    assertThat(report.migrationsApplied()).containsExactly("20250115090000", "20250115091500");

    SiloSecrets silo = secrets.ensure(NAMES.siloId());
    DecodedJWT anon = JWT.require(Algorithm.HMAC256(silo.jwtSecret())).withIssuer("supabase").build()
        .verify(report.connection().anonKey());
    assertThat(anon.getClaim("role").asString()).isEqualTo("anon");
    ArgumentCaptor<ConfigureBranchDeployRequest> netlifyRequest = ArgumentCaptor.forClass(ConfigureBranchDeployRequest.class);
    verify(netlify).configureBranchDeploy(netlifyRequest.capture());
    assertThat(netlifyRequest.getValue().variables()).containsEntry("VITE_SUPABASE_ANON_KEY", report.connection().anonKey());
  }

  private void answerAsHealthySaaS() {
    when(fly.findApps(any())).thenReturn(new FlyAppsFound(List.of()));
    when(fly.ensureOrganization(any())).thenReturn(new FlyOrganization(NAMES.flyOrg(), "org-1", true));
    when(fly.createApp(any())).thenAnswer(call -> {
      CreateFlyAppRequest request = call.getArgument(0);
      return new FlyApp(request.appName(), request.org(), true);
    });
    when(fly.deployApp(any())).thenAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      boolean pg = request.spec().service().equals("pg");
      return new FlyDeployment(request.appName(), "machine-" + request.spec().service(), "started",
          pg ? "127.0.0.1" : request.appName() + ".fly.dev",
          pg ? Map.of("5432", postgres.getPort()) : Map.of());
    });
    when(fly.submitMachine(any())).thenAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      return new FlyMachine(request.appName(), "machine-" + request.spec().service(), "i-1");
    });
    when(fly.awaitMachine(any())).thenAnswer(call -> {
      FlyMachine machine = call.getArgument(0);
      boolean pg = machine.machineId().equals("machine-pg");
      return new FlyDeployment(machine.appName(), machine.machineId(), "started",
          pg ? "127.0.0.1" : machine.appName() + ".fly.dev",
          pg ? Map.of("5432", postgres.getPort()) : Map.of());
    });
    when(desk.getApplication(any())).thenReturn(new DeskApplication("acme", "crm", "Acme CRM", Map.of()));
    when(desk.updateSiloStatus(any())).thenReturn(new DeskAck("update_silo_status", "k", false));
    when(desk.logSiloEvent(any())).thenReturn(new DeskAck("log_silo_event", "k", false));
    when(desk.updateApplication(any())).thenReturn(new DeskAck("applications.update", "k", false));
    when(netlify.describeSite(any())).thenReturn(new NetlifySite("site-1", "web"));
    when(netlify.configureBranchDeploy(any())).thenReturn(
        new NetlifyBranchConfig("site-1", NAMES.branch(), false, "https://silo-acme-crm--web.netlify.app"));
    when(netlify.buildBranch(any())).thenReturn(
        new BranchBuild("build-1", "deploy-1", "new", true, "https://silo-acme-crm--web.netlify.app"));
    when(netlify.awaitDeploy(any())).thenReturn(
        new NetlifyDeploy("deploy-1", "ready", "https://silo-acme-crm--web.netlify.app"));
  }

  private List<String> runningContainers() throws Exception {
    Process docker = new ProcessBuilder("docker", "ps", "--filter",
        "label=com.docker.compose.project=" + NAMES.composeProject(), "--format", "{{.Names}}")
        .redirectErrorStream(true).start();
    docker.getOutputStream().close();
    List<String> names = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(docker.waitFor()).as("docker ps: " + names).isZero();
    return names;
  }

  private List<String> appliedMigrations() throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        ResultSet rows = connection.createStatement()
            .executeQuery("select version from supabase_migrations.schema_migrations order by version")) {
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
    }
    return versions;
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("examples").toFile().isDirectory() ? here : here.getParent();
  }
}
