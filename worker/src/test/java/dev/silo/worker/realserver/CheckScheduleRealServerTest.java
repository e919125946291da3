package dev.silo.worker.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.silo.activities.drift.SiloCheckActivitiesImpl;
import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.PayloadKey;
import dev.silo.starter.SiloCli;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.TemporalBinary;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.drift.CheckOutcome;
import dev.silo.workflows.drift.DriftReport;
import dev.silo.workflows.drift.SiloCheckWorkflowImpl;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silo check --schedule}, {@code --unschedule} and a scheduled check on the real Temporal
 * dev server: the Java test server has no schedules, and the check finds the last deployment
 * through the visibility store's query, which only the real server answers. A stand-in deployment
 * completes with a report of a silo that has nothing but its desk record, which a stub desk
 * reports active, so the check has one system to compare and finds no drift.
 */
@Timeout(180)
class CheckScheduleRealServerTest {

  private static final SiloNames NAMES = new SiloNames("acme", "crm");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir static Path tmp;

  private static RealDevServer server;
  private static TemporalConnection connection;
  private static WorkerFactory workers;
  private static Map<String, String> env;

  /** A deployment that completes at once with the report it is given. */
  @WorkflowInterface
  public interface StandInDeployment {
    @WorkflowMethod(name = "SiloDeploymentWorkflow")
    SiloReport deploy(SiloReport report);
  }

  public static class StandInDeploymentImpl implements StandInDeployment {
    @Override
    public SiloReport deploy(SiloReport report) {
      return report;
    }
  }

  @BeforeAll
  static void startServerAndWorker() throws IOException {
    Path binary = TemporalBinary.require();
    server = RealDevServer.start(RealDevServer.Settings.loopback(binary, freePort(), 0, tmp.resolve("check.db"), null));
    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    env = Map.of("TEMPORAL_ADDRESS", server.address(), "TEMPORAL_NAMESPACE", "default",
        "SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key), "HOME", tmp.toString());
    connection = TemporalConnection.open(env, notice -> { });
    DeskActivities desk = mock(DeskActivities.class, withSettings().withoutAnnotations());
    when(desk.getApplication(any())).thenReturn(
        new DeskApplication("acme", "crm", "Acme CRM", Map.of("silo_status", "active")));
    workers = WorkerFactory.newInstance(connection.client());
    Worker worker = workers.newWorker(TaskQueues.SILO);
    worker.registerWorkflowImplementationTypes(StandInDeploymentImpl.class, SiloCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations(desk, new SiloCheckActivitiesImpl(variable -> false));
    workers.start();
  }

  @AfterAll
  static void stopAll() {
    if (workers != null) {
      workers.shutdownNow();
    }
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.kill();
    }
  }

  @Test
  void givenASilo_whenScheduledRescheduledTriggeredAndUnscheduled_itsScheduleShouldFollowAndItsRunsCheck() throws Exception {
    Cli beforeDeploy = cli("check", "acme", "crm", "--schedule");
    assertThat(beforeDeploy.code()).as(beforeDeploy.toString()).isEqualTo(3);
    assertThat(beforeDeploy.err()).contains("no deployment of acme-crm");

    String deploymentRun = deploy();

    Cli created = cli("check", "acme", "crm", "--schedule", "--every", "1m", "--output", "json");
    assertThat(created.code()).as(created.toString()).isZero();
    assertThat(created.out()).contains("\"scheduleId\":\"silo-check-acme-crm\"", "\"change\":\"CREATED\"",
        "\"every\":\"PT1M\"");
    ScheduleHandle schedule = schedules().getHandle(NAMES.checkScheduleId());
    assertThat(every(schedule.describe())).isEqualTo(Duration.ofMinutes(1));

    Cli updated = cli("check", "acme", "crm", "--schedule", "--output", "json");
    assertThat(updated.code()).as(updated.toString()).isZero();
    assertThat(updated.out()).contains("\"change\":\"UPDATED\"", "\"every\":\"PT1H\"");
    assertThat(every(schedule.describe())).isEqualTo(Duration.ofHours(1));

    schedule.trigger();
    DriftReport scheduled = awaitScheduledReport(schedule);
    assertThat(scheduled.outcome()).as(scheduled.toString()).isEqualTo(CheckOutcome.IN_SYNC);
    assertThat(scheduled.deploymentRunId()).isEqualTo(deploymentRun);
    assertThat(scheduled.checkWorkflowId()).startsWith("silo-check-acme-crm-scheduled-");

    Cli manual = cli("check", "acme", "crm");
    assertThat(manual.code()).as(manual.toString()).isZero();
    assertThat(manual.out()).contains("no drift");

    Cli deleted = cli("check", "acme", "crm", "--unschedule", "--output", "json");
    assertThat(deleted.code()).as(deleted.toString()).isZero();
    assertThat(deleted.out()).contains("\"change\":\"DELETED\"");
    Cli again = cli("check", "acme", "crm", "--unschedule");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("did not exist");
  }

  /** Completes the stand-in deployment and waits until the visibility store lists it; its run ID. */
  private static String deploy() throws InterruptedException {
    SiloReport report = new SiloReport(NAMES.siloId(), NAMES.workflowId(), SiloStatus.DEPLOYED, null, "alice", null,
        List.of(), null, List.of(), List.of(), null, null, null, true, List.of(), List.of(), List.of(), List.of(),
        List.of(), null);
    StandInDeployment run = connection.client().newWorkflowStub(StandInDeployment.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SILO).setWorkflowId(NAMES.workflowId()).build());
    String runId = WorkflowClient.start(run::deploy, report).getRunId();
    WorkflowStub.fromTyped(run).getResult(SiloReport.class);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (connection.stubs().blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
            .setNamespace("default")
            .setQuery("WorkflowId = '" + NAMES.workflowId() + "' AND ExecutionStatus = 'Completed'")
            .build()).getExecutionsCount() == 0) {
      assertThat(System.nanoTime()).as("the deployment becomes visible").isLessThan(deadline);
      Thread.sleep(100);
    }
    return runId;
  }

  private static DriftReport awaitScheduledReport(ScheduleHandle schedule) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      for (ScheduleActionResult action : schedule.describe().getInfo().getRecentActions()) {
        if (action.getAction() instanceof ScheduleActionExecutionStartWorkflow started) {
          return connection.client().newUntypedWorkflowStub(started.getWorkflowId())
              .getResult(PATIENCE.toSeconds(), TimeUnit.SECONDS, DriftReport.class);
        }
      }
      assertThat(System.nanoTime()).as("the triggered check starts").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static Duration every(ScheduleDescription description) {
    return description.getSchedule().getSpec().getIntervals().get(0).getEvery();
  }

  private static ScheduleClient schedules() {
    return ScheduleClient.newInstance(connection.stubs(), ScheduleClientOptions.newBuilder()
        .setNamespace("default").setDataConverter(connection.client().getOptions().getDataConverter()).build());
  }

  private record Cli(int code, String out, String err) {}

  private static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SiloCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
