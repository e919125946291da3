package dev.silo.worker.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.activities.temporal.TemporalActivitiesImpl;
import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.PayloadKey;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.TemporalBinary;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.temporal.DeleteScheduleRequest;
import dev.silo.workflows.temporal.ScheduleDeleted;
import dev.silo.workflows.temporal.WorkflowRunning;
import dev.silo.workflows.temporal.WorkflowRunningRequest;
import io.temporal.client.WorkflowClient;
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
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the teardown asks the worker's own server, on the real Temporal dev server (the Java test
 * server has no schedules): whether the silo's deployment run is open, and the drift-check schedule
 * deleted once, then found absent.
 */
class TemporalActivitiesOnRealServerTest {

  private static final String QUEUE = "temporal-activities-on-real-server";
  private static final SiloNames SILO = new SiloNames("acme", "crm");

  @TempDir static Path tmp;

  private static RealDevServer server;
  private static TemporalConnection connection;
  private static WorkerFactory workers;
  private static TemporalActivitiesImpl activities;

  /** A run that stays open until told to finish, standing in for a deployment. */
  @WorkflowInterface
  public interface OpenRun {
    @WorkflowMethod
    void run();

    @SignalMethod
    void finish();
  }

  /** Waits for {@code finish}. */
  public static class OpenRunImpl implements OpenRun {
    private boolean finished;

    @Override
    public void run() {
      Workflow.await(() -> finished);
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  @BeforeAll
  static void startServer() throws IOException {
    Path binary = TemporalBinary.require();
    server = RealDevServer.start(RealDevServer.Settings.loopback(binary, freePort(), 0, tmp.resolve("t.db"), null));
    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Map<String, String> env = Map.of("TEMPORAL_ADDRESS", server.address(), "TEMPORAL_NAMESPACE", "default",
        "SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key), "HOME", tmp.toString());
    connection = TemporalConnection.open(env, notice -> { });
    workers = WorkerFactory.newInstance(connection.client());
    workers.newWorker(QUEUE).registerWorkflowImplementationTypes(OpenRunImpl.class);
    workers.start();
    activities = new TemporalActivitiesImpl(connection.client());
  }

  @AfterAll
  static void stopServer() {
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
  void givenTheDriftCheckSchedule_whenDeletedTwice_itIsDeletedThenFoundAbsent() {
    ScheduleClient schedules = ScheduleClient.newInstance(connection.client().getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace("default").build());
    schedules.createSchedule(SILO.checkScheduleId(), Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(OpenRun.class)
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId("silo-check-acme-crm-run").setTaskQueue(QUEUE)
                .build()).build())
        .setSpec(ScheduleSpec.newBuilder()
            .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(1)))).build())
        .setState(ScheduleState.newBuilder().setPaused(true).build())
        .build(), ScheduleOptions.newBuilder().build());

    ScheduleDeleted first = activities.deleteSiloSchedule(new DeleteScheduleRequest(SILO.checkScheduleId()));
    ScheduleDeleted second = activities.deleteSiloSchedule(new DeleteScheduleRequest(SILO.checkScheduleId()));

    assertThat(first).isEqualTo(new ScheduleDeleted("silo-check-acme-crm", true));
    assertThat(second).isEqualTo(new ScheduleDeleted("silo-check-acme-crm", false));
  }

  @Test
  void givenTheDeploymentRun_whileOpenAndOnceEnded_itIsReportedAsItStands() {
    WorkflowClient client = connection.client();
    assertThat(activities.siloWorkflowRunning(new WorkflowRunningRequest(SILO.workflowId())).running()).isFalse();

    OpenRun run = client.newWorkflowStub(OpenRun.class,
        WorkflowOptions.newBuilder().setWorkflowId(SILO.workflowId()).setTaskQueue(QUEUE).build());
    String runId = WorkflowClient.start(run::run).getRunId();
    WorkflowRunning open = activities.siloWorkflowRunning(new WorkflowRunningRequest(SILO.workflowId()));
    run.finish();
    WorkflowStub.fromTyped(run).getResult(Void.class);
    WorkflowRunning ended = activities.siloWorkflowRunning(new WorkflowRunningRequest(SILO.workflowId()));

    assertThat(open).isEqualTo(new WorkflowRunning(SILO.workflowId(), true, runId));
    assertThat(ended).isEqualTo(new WorkflowRunning(SILO.workflowId(), false, null));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
