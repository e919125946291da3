package dev.silo.starter;

import static dev.silo.starter.SiloCliTest.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.TemporalConnection;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.docker.ContainerPower;
import dev.silo.workflows.docker.ContainersPowered;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.PowerContainersRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyAppPowered;
import dev.silo.workflows.fly.MachinePower;
import dev.silo.workflows.fly.PowerFlyAppRequest;
import dev.silo.workflows.power.SiloPowerWorkflowImpl;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silo stop} and {@code silo start} as a person types them: against Temporal's in-memory
 * server and a worker running the real power workflow, its activities answering at the boundary
 * for a deployed silo ({@code acme-*}) or one never deployed ({@code acme-never}).
 */
class PowerCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestServer.PortBoundTestServer server;
  private static TemporalConnection workerConnection;
  private static WorkerFactory workers;
  private static Map<String, String> env;

  @TempDir static Path keylessHome;

  @BeforeAll
  static void startServerAndWorker() {
    PortBoundServers.Started started = PortBoundServers.start();
    server = started.server();
    SiloCliEndToEndTest.registerSearchAttributes(started.port());
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + started.port(),
        "TEMPORAL_NAMESPACE", "default",
        "SILO_PAYLOAD_KEY", SiloCliTest.randomKey(),
        "HOME", keylessHome.toString());
    workerConnection = TemporalConnection.open(env, notice -> {});
    workers = WorkerFactory.newInstance(workerConnection.client());
    Worker silo = workers.newWorker(TaskQueues.SILO);
    silo.registerWorkflowImplementationTypes(SiloPowerWorkflowImpl.class, WaitingDeployment.class);
    silo.registerActivitiesImplementations(desk(), fly(), new WorkerTrust(AllowedSigners.none()));
    workers.newWorker(TaskQueues.DOCKER).registerActivitiesImplementations(docker());
    workers.start();
  }

  @AfterAll
  static void stopWorkerAndServer() {
    if (workers != null) {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (workerConnection != null) {
      workerConnection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void givenHelp_whenAsked_itDescribesTheCommandAndItsOptions() {
    CliRun stop = CliRun.of(env, "stop", "--help");
    CliRun start = CliRun.of(env, "start", "--help");

    assertThat(stop.exitCode()).isZero();
    assertThat(stop.out()).contains("silo stop", "Stops (never removes or destroys)", "--output",
        "--docker-task-queue", "--skip-containers", "--requester");
    assertThat(start.exitCode()).isZero();
    assertThat(start.out()).contains("silo start", "records the desk");
    assertThat(CliRun.of(env, "--help").out()).contains("stop", "start");
  }

  @Test
  void givenBadNames_whenStopping_itRefusesInOneLineWithExitCode2BeforeConnecting() {
    CliRun run = CliRun.of(env, "stop", "ACME", "crm", "--address", SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().contains("client 'ACME' is not valid");
    assertNoStackTrace(run);
  }

  @Test
  void givenABadDockerTaskQueue_whenStarting_itRefusesInOneLineWithExitCode2() {
    CliRun run = CliRun.of(env, "start", "acme", "crm", "--docker-task-queue", "no spaces");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("--docker-task-queue 'no spaces'");
    assertNoStackTrace(run);
  }

  @Test
  void givenASiloNeverDeployed_whenStopping_itSaysSoInOneLineWithExitCode1() {
    CliRun run = CliRun.of(env, "stop", "acme", "never", "--requester", "dana");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out().lines()).singleElement().asString()
        .contains("silo acme-never was never deployed (the desk holds no silo record for it)");
    assertNoStackTrace(run);
  }

  @Test
  void givenADeployedSilo_whenStoppedWithJsonOutput_itPrintsTheAuditAsOneDocument() throws Exception {
    CliRun run = CliRun.of(env, "stop", "acme", "billing", "--requester", "dana", "--docker-task-queue",
        TaskQueues.DOCKER, "--output", "json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.path("workflowId").asText()).isEqualTo("silo-power-acme-billing");
    assertThat(report.path("action").asText()).isEqualTo("STOP");
    assertThat(report.path("status").asText()).isEqualTo("DONE");
    assertThat(report.path("requester").asText()).isEqualTo("dana");
    assertThat(report.path("dockerTaskQueue").asText()).isEqualTo(TaskQueues.DOCKER);
    assertThat(report.path("entries")).extracting(entry -> entry.path("system").asText() + " "
        + entry.path("outcome").asText())
        .contains("docker stopped", "fly stopped", "desk written").hasSize(1 + 1 + 6 + 3);
  }

  @Test
  void givenADeployedSilo_whenStartedAsText_itPrintsEachActionTaken() {
    CliRun run = CliRun.of(env, "start", "acme", "crm", "--requester", "dana", "--skip-containers");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("silo start acme-crm: DONE", "docker  silo-acme-crm  skipped",
        "fly  devenv-acme-crm-kong/m1  started  (stopped -> started)", "desk  event started  written");
    assertThat(run.err()).contains("Starting silo acme-crm (workflow silo-power-acme-crm");
  }

  @Test
  void givenTheDeploymentRuns_whenStopping_itRefusesInOneLineWithExitCode2() {
    SiloNames names = new SiloNames("acme", "busy");
    WorkflowClient client = workerConnection.client();
    SiloDeploymentWorkflow deployment = client.newWorkflowStub(SiloDeploymentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(names.workflowId()).setTaskQueue(TaskQueues.SILO).build());
    WorkflowClient.start(deployment::deploy, new SiloDeploymentRequest("acme", "busy", "dana", null, null, null));

    CliRun run = CliRun.of(env, "stop", "acme", "busy", "--unsigned");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("the deployment of acme-busy is running (workflow silo-acme-busy");
    assertNoStackTrace(run);
  }

  private static DeskActivities desk() {
    DeskActivities desk = mock(DeskActivities.class, withSettings().withoutAnnotations());
    when(desk.getApplication(any())).thenAnswer(call -> {
      GetApplicationRequest request = call.getArgument(0);
      Map<String, Object> silo = request.app().equals("never") ? Map.of() : Map.of("silo_status", "active");
      return new DeskApplication(request.client(), request.app(), "An app", silo);
    });
    when(desk.updateSiloStatus(any())).thenAnswer(call -> new DeskAck("update_silo_status", "k", false));
    when(desk.logSiloEvent(any())).thenAnswer(call -> new DeskAck("log_silo_event", "k", false));
    when(desk.updateApplication(any())).thenAnswer(call -> new DeskAck("applications.update", "k", false));
    return desk;
  }

  private static FlyActivities fly() {
    FlyActivities fly = mock(FlyActivities.class, withSettings().withoutAnnotations());
    when(fly.stopMachines(any())).thenAnswer(call -> powered(call.getArgument(0), "started", "stopped"));
    when(fly.startMachines(any())).thenAnswer(call -> powered(call.getArgument(0), "stopped", "started"));
    return fly;
  }

  private static FlyAppPowered powered(PowerFlyAppRequest request, String before, String after) {
    return new FlyAppPowered(request.appName(), true, List.of(new MachinePower("m1", before, after, true)));
  }

  private static DockerActivities docker() {
    DockerActivities docker = mock(DockerActivities.class, withSettings().withoutAnnotations());
    when(docker.stopContainers(any())).thenAnswer(call -> {
      PowerContainersRequest request = call.getArgument(0);
      return new ContainersPowered(request.project(), List.of(
          new ContainerPower(request.project() + "-db-1", "db", "running", "exited", true, null)));
    });
    return docker;
  }

  /** A deployment that waits for its approval until the server stops. */
  public static class WaitingDeployment implements SiloDeploymentWorkflow {

    @Override
    public SiloReport deploy(SiloDeploymentRequest request) {
      Workflow.await(() -> false);
      return null;
    }

    @Override
    public void approve(Decision decision) {}

    @Override
    public void reject(Decision decision) {}

    @Override
    public void confirmBranchOverwrite(Decision decision) {}

    @Override
    public void retryDesk(Decision decision) {}

    @Override
    public DecisionRecord approveUpdate(Decision decision) {
      return null;
    }

    @Override
    public void validateApprove(Decision decision) {}

    @Override
    public DecisionRecord rejectUpdate(Decision decision) {
      return null;
    }

    @Override
    public void validateReject(Decision decision) {}

    @Override
    public DecisionRecord confirmBranchOverwriteUpdate(Decision decision) {
      return null;
    }

    @Override
    public void validateConfirmBranchOverwrite(Decision decision) {}

    @Override
    public DecisionRecord retryDeskUpdate(Decision decision) {
      return null;
    }

    @Override
    public void validateRetryDesk(Decision decision) {}

    @Override
    public void retryStep(Decision decision) {}

    @Override
    public DecisionRecord retryStepUpdate(Decision decision) {
      return null;
    }

    @Override
    public void validateRetryStep(Decision decision) {}

    @Override
    public void skipStep(Decision decision) {}

    @Override
    public DecisionRecord skipStepUpdate(Decision decision) {
      return null;
    }

    @Override
    public void validateSkipStep(Decision decision) {}

    @Override
    public void abortStep(Decision decision) {}

    @Override
    public DecisionRecord abortStepUpdate(Decision decision) {
      return null;
    }

    @Override
    public void validateAbortStep(Decision decision) {}

    @Override
    public SiloProgress progress() {
      return null;
    }
  }
}
