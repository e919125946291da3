package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.PayloadKey;
import dev.silo.sandbox.Sandbox;
import dev.silo.starter.SiloCli;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.SandboxRuns;
import dev.silo.worker.SiloWorker;
import dev.silo.worker.TemporalBinary;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.TeardownReport;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silo's whole life through the CLI, as an operator lives it, on the real Temporal dev server
 * (schedules included) with the worker's real activities against the sandbox and a local bare Git
 * remote: deploy, destroy (plan, approval by another person), and deploy again. Containers are
 * skipped here; the engine's part is {@code TeardownTest}'s.
 */
@Timeout(300)
class DestroyThenDeployAgainTest {

  private static final SiloNames SILO = SandboxRuns.NAMES;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path work;

  private RealDevServer server;
  private Sandbox sandbox;
  private TemporalConnection connection;
  private WorkerFactory workers;
  private Map<String, String> cli;
  private Path remote;

  @BeforeEach
  void start() throws IOException {
    Path binary = TemporalBinary.require();
    server = RealDevServer.start(RealDevServer.Settings.loopback(binary, freePort(), 0, work.resolve("t.db"), null));
    sandbox = Sandbox.start(Duration.ZERO);
    sandbox.desk().application(SILO.client(), SILO.app(), "Acme CRM");
    Path configRoot = work.resolve("silos");
    SandboxRuns.copyExampleSilo(configRoot);
    remote = DemoEnvironment.createRemote(work.resolve("remote.git"));
    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    cli = Map.of("TEMPORAL_ADDRESS", server.address(), "TEMPORAL_NAMESPACE", server.namespace(),
        "SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key), "HOME", work.toString());
    Map<String, String> worker = new HashMap<>(cli);
    worker.putAll(sandbox.workerEnvironment());
    worker.put("SILO_CONFIG_ROOT", configRoot.toString());
    worker.put("SILO_GIT_REMOTE", remote.toString());
    worker.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
    worker.put("SILO_STATE_DIR", work.resolve("state").toString());
    connection = TemporalConnection.open(cli, notice -> { });
    workers = WorkerFactory.newInstance(connection.client());
    SiloWorker.register(workers, SiloWorker.Queues.DEFAULT,
        EnvironmentActivities.build(worker, connection.client(), line -> { }));
    workers.start();
  }

  @AfterEach
  void stop() {
    if (workers != null) {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (connection != null) {
      connection.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (server != null) {
      server.kill();
    }
  }

  @Test
  void givenADeployedSilo_whenDestroyedWithApproval_itIsGoneAndDeploysAgain() throws Exception {
    deployAndApprove();
    createDriftCheckSchedule();
    assertThat(sandbox.fly().apps()).hasSize(6);

    Run destroy = cli("destroy", "acme", "crm", "--skip-containers", "--unsigned", "--requester", "alice",
        "--output", "json");
    assertThat(destroy.code).as(destroy.toString()).isZero();
    JsonNode planned = JSON.readTree(destroy.out);
    assertThat(planned.get("workflowId").asText()).isEqualTo("silo-destroy-acme-crm");
    assertThat(planned.at("/plan/flyApps")).hasSize(6);
    assertThat(planned.at("/plan/choices").toString()).contains("is KEPT").contains("Netlify: left untouched");
    assertThat(sandbox.fly().apps()).as("nothing removed before the approval").hasSize(6);

    Run selfApproval = cli("approve", "acme", "crm", "--destroy", "--unsigned", "--as", "alice");
    assertThat(selfApproval.code).as(selfApproval.toString()).isEqualTo(2);
    assertThat(selfApproval.err).contains("alice requested this run and may not approve it");

    Run approve = cli("approve", "acme", "crm", "--destroy", "--unsigned", "--as", "bob");
    assertThat(approve.code).as(approve.toString()).isZero();
    TeardownReport report = connection.client().newUntypedWorkflowStub(SILO.destroyWorkflowId())
        .getResult(PATIENCE.toSeconds(), TimeUnit.SECONDS, TeardownReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DESTROYED);
    assertThat(sandbox.fly().apps()).isEmpty();
    assertThat(sandbox.fly().organizationExists(SILO.flyOrg())).isFalse();
    assertThat(branchExists()).as("the branch is kept by default").isTrue();
    assertThat(sandbox.desk().status(SILO.client(), SILO.app()).orElseThrow().status()).isEqualTo("decommissioned");
    assertThat(sandbox.desk().events(SILO.client(), SILO.app()).toString()).contains("decommissioned");
    assertThat(sandbox.desk().application(SILO.client(), SILO.app()).orElseThrow().silo().toString())
        .contains("silo_status=decommissioned");
    assertThat(report.removed()).contains("schedule silo-check-acme-crm");

    Run again = cli("destroy", "acme", "crm", "--skip-containers", "--unsigned", "--requester", "alice");
    assertThat(again.code).as(again.toString()).isEqualTo(2);
    assertThat(again.err.strip()).isEqualTo("silo acme-crm is already decommissioned: nothing to destroy");

    deployAndApprove();
    assertThat(sandbox.fly().apps()).hasSize(6);
    assertThat(sandbox.desk().status(SILO.client(), SILO.app()).orElseThrow().status()).isEqualTo("active");
  }

  @Test
  void givenNetlify_whenDestroyed_theBranchDeployAndItsVariablesGoAndTheNextDeployConfiguresThemAgain()
      throws Exception {
    deployAndApprove();
    assertThat(sandbox.netlify().allowedBranches()).contains(SILO.branch());
    int configured = sandbox.netlify().configurationWrites();

    Run destroy = cli("destroy", "acme", "crm", "--skip-containers", "--netlify", "--unsigned", "--requester", "alice",
        "--output", "json");
    assertThat(destroy.code).as(destroy.toString()).isZero();
    JsonNode planned = JSON.readTree(destroy.out);
    assertThat(planned.at("/plan/netlify").asBoolean()).isTrue();
    assertThat(planned.at("/plan/choices").toString())
        .contains("Netlify: the branch deploy of silo/acme-crm and its 4 branch variables are removed (--netlify)");
    Run approve = cli("approve", "acme", "crm", "--destroy", "--unsigned", "--as", "bob");
    assertThat(approve.code).as(approve.toString()).isZero();
    TeardownReport report = connection.client().newUntypedWorkflowStub(SILO.destroyWorkflowId())
        .getResult(PATIENCE.toSeconds(), TimeUnit.SECONDS, TeardownReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DESTROYED);
    assertThat(report.removed()).contains("Netlify branch deploy " + SILO.branch());
    assertThat(sandbox.netlify().allowedBranches()).doesNotContain(SILO.branch()).contains("main");
    sandbox.netlify().envVars().forEach((key, values) -> assertThat(values).as(key)
        .noneMatch(value -> SILO.branch().equals(value.contextParameter())));
    assertThat(sandbox.netlify().violations()).isEmpty();

    deployAndApprove();
    assertThat(sandbox.netlify().allowedBranches()).contains(SILO.branch());
    assertThat(sandbox.netlify().configurationWrites()).as("configured anew").isGreaterThan(configured);
  }

  private void deployAndApprove() throws Exception {
    Run deploy = cli("deploy", "acme", "crm", "--skip-containers", "--unsigned", "--requester", "alice");
    assertThat(deploy.code).as(deploy.toString()).isZero();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Run approve;
    do {
      approve = cli("approve", "acme", "crm", "--unsigned", "--as", "bob");
      if (approve.code == 0) {
        break;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    assertThat(approve.code).as(approve.toString()).isZero();
    Run watch = cli("watch", "acme", "crm");
    assertThat(watch.code).as(watch.toString()).isZero();
  }

  private void createDriftCheckSchedule() {
    ScheduleClient schedules = ScheduleClient.newInstance(connection.client().getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(server.namespace()).build());
    schedules.createSchedule(SILO.checkScheduleId(), Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType("SiloCheckWorkflow")
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId("silo-check-acme-crm-scheduled")
                .setTaskQueue("nobody-polls").build()).build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(1))))
            .build())
        .setState(ScheduleState.newBuilder().setPaused(true).build())
        .build(), ScheduleOptions.newBuilder().build());
  }

  private boolean branchExists() throws IOException {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(remote.toFile()).build()) {
      return repository.exactRef("refs/heads/" + SILO.branch()) != null;
    }
  }

  private record Run(int code, String out, String err) {}

  private Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SiloCli.run(args, cli, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
