package dev.silo.worker.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.client.TemporalConnection;
import dev.silo.client.codec.PayloadKey;
import dev.silo.starter.SiloCli;
import dev.silo.worker.RealDevServer;
import dev.silo.worker.TemporalBinary;
import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silo list} on the real Temporal server: its filters become a visibility query of the
 * search attributes ({@code ListWorkflowExecutions}), which the Java test server does not answer.
 * Three runs of the silo workflow type stand in for deployments, each started with the attributes
 * a deployment carries.
 */
class ListOnRealServerTest {

  private static final String QUEUE = "list-on-real-server";
  private static final Duration VISIBILITY_PATIENCE = Duration.ofSeconds(30);

  @TempDir static Path tmp;

  private static RealDevServer server;
  private static TemporalConnection connection;
  private static WorkerFactory workers;
  private static Map<String, String> env;

  /** A run of the silo workflow type that waits for its end. */
  @WorkflowInterface
  public interface StandInDeployment {
    @WorkflowMethod(name = "SiloDeploymentWorkflow")
    void deploy();

    @SignalMethod
    void finish();
  }

  /** Waits for {@code finish}. */
  public static class StandInDeploymentImpl implements StandInDeployment {
    private boolean finished;

    @Override
    public void deploy() {
      Workflow.await(() -> finished);
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  @BeforeAll
  static void startServerAndRuns() throws IOException {
    Path binary = TemporalBinary.require();
    server = RealDevServer.start(RealDevServer.Settings.loopback(binary, freePort(), 0, tmp.resolve("list.db"), null));
    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    env = Map.of("TEMPORAL_ADDRESS", server.address(), "TEMPORAL_NAMESPACE", "default",
        "SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key), "HOME", tmp.toString());
    connection = TemporalConnection.open(env, notice -> { });
    workers = WorkerFactory.newInstance(connection.client());
    workers.newWorker(QUEUE).registerWorkflowImplementationTypes(StandInDeploymentImpl.class);
    workers.start();
    start("silo-acme-crm", "acme", "AWAITING_APPROVAL", "VALIDATE");
    start("silo-globex-crm", "globex", "RUNNING", "FLY");
    start("silo-acme-shop", "acme", "DEPLOYED", "REPORT").finish();
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
  void givenRunsOfTwoClients_whenListingByClient_itShouldListThatClientsRunsOnly() throws Exception {
    assertThat(awaitListed("--client", "acme")).containsExactlyInAnyOrder("silo-acme-crm", "silo-acme-shop");
  }

  @Test
  void givenRunsInSeveralStates_whenListingByStatus_itShouldListTheRunsInThatStatusOnly() throws Exception {
    assertThat(awaitListed("--status", "awaiting_approval")).containsExactly("silo-acme-crm");
    assertThat(awaitListed("--status", "DEPLOYED")).containsExactly("silo-acme-shop");
  }

  @Test
  void givenRunsAtSeveralSteps_whenListingByStepAndClient_itShouldListTheRunsMatchingBoth() throws Exception {
    assertThat(awaitListed("--step", "FLY")).containsExactly("silo-globex-crm");
    assertThat(awaitListed("--step", "FLY", "--client", "acme")).isEmpty();
  }

  /** The workflow IDs {@code silo list} prints, once the visibility store shows every run started. */
  private static List<String> awaitListed(String... filters) throws InterruptedException {
    long deadline = System.nanoTime() + VISIBILITY_PATIENCE.toNanos();
    while (listed().size() < 3 || listed("--status", "DEPLOYED").isEmpty()) {
      assertThat(System.nanoTime()).as("the three runs become visible").isLessThan(deadline);
      Thread.sleep(100);
    }
    return listed(filters);
  }

  private static List<String> listed(String... filters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = Stream.concat(Stream.of("list"), Arrays.stream(filters)).toArray(String[]::new);
    int code = SiloCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("silo list %s: %s%s", String.join(" ", filters), text, err).isZero();
    return text.lines().filter(line -> line.startsWith("silo-")).map(line -> line.split("\\s+")[0])
        .collect(Collectors.toList());
  }

  private static StandInDeployment start(String workflowId, String client, String status, String step) {
    StandInDeployment run = connection.client().newWorkflowStub(StandInDeployment.class, WorkflowOptions.newBuilder()
        .setTaskQueue(QUEUE)
        .setWorkflowId(workflowId)
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SiloSearchAttributes.CLIENT, client)
            .set(SiloSearchAttributes.STATUS, status)
            .set(SiloSearchAttributes.STEP, step)
            .build())
        .build());
    WorkflowClient.start(run::deploy);
    return run;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
