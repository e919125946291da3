package dev.silo.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.TemporalConnection;
import dev.silo.workflows.TaskQueues;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silo release cancel} and {@code silo release list} against Temporal's in-memory server,
 * which has no visibility query, so the list takes its fallback, and the scripted release workflows.
 */
class ReleaseCancelListCliTest {

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
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + started.port(),
        "TEMPORAL_NAMESPACE", "default",
        "SILO_PAYLOAD_KEY", SiloCliTest.randomKey(),
        "HOME", keylessHome.toString());
    workerConnection = TemporalConnection.open(env, notice -> {});
    workers = WorkerFactory.newInstance(workerConnection.client());
    Worker worker = workers.newWorker(TaskQueues.SILO);
    worker.registerWorkflowImplementationTypes(
        ScriptedReleasePipeline.class, ScriptedEnvironmentDeployment.class, ScriptedEnvironmentLock.class);
    worker.registerActivitiesImplementations(new LockRequests(workerConnection.client()));
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
  void givenARunningPromotion_whenListedAndCancelled_itShouldBeListedRunningThenEndCancelledAndRefuseASecondCancel()
      throws Exception {
    CliRun start = cli("release", "start", "books", "2.0.0", "--to", "staging", "--requester", "bob");
    assertThat(start.exitCode()).as(start.toString()).isZero();

    CliRun list = cli("release", "list", "--output", "json");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    JsonNode listed = JSON.readTree(list.out());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("project").asText()).isEqualTo("books");
    assertThat(listed.get(0).get("version").asText()).isEqualTo("2.0.0");
    assertThat(listed.get(0).get("target").asText()).isEqualTo("staging");
    assertThat(listed.get(0).get("status").asText()).isEqualTo("RUNNING");
    assertThat(listed.get(0).get("closeTime").isNull()).isTrue();
    CliRun table = cli("release", "list");
    assertThat(table.out().lines().findFirst().orElseThrow())
        .startsWith("PROJECT").contains("VERSION", "TARGET", "STATUS", "CURRENT", "STARTED", "ENDED");
    assertThat(table.out()).contains("books").contains("2.0.0").contains("staging");

    CliRun cancel = cli("release", "cancel", "books", "2.0.0");
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out().strip()).startsWith("Cancellation requested for release-books-2.0.0 (run ")
        .endsWith("follow it with 'silo release watch books 2.0.0'.");

    CliRun again = awaitEnded("books", "2.0.0");
    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err().strip()).startsWith("release 2.0.0 of books is not running (workflow release-books-2.0.0,")
        .contains("ended CANCELED").endsWith("see 'silo release report books 2.0.0'");
    CliRun afterCancel = cli("release", "list", "--output", "json");
    JsonNode ended = JSON.readTree(afterCancel.out());
    assertThat(ended).as(afterCancel.out()).hasSize(1);
    assertThat(ended.get(0).get("status").asText()).isEqualTo("CANCELED");
    assertThat(ended.get(0).get("closeTime").isNull()).isFalse();
  }

  @Test
  void givenBadInputOrNoSuchPromotion_whenListedOrCancelled_itShouldSayItInOneLineWithItsExitCode() {
    CliRun badProject = cli("release", "list", "--project", "Not_A_Project");
    assertThat(badProject.exitCode()).isEqualTo(2);
    assertThat(badProject.err().strip()).contains("project 'Not_A_Project' is not valid").doesNotContain("\n");
    CliRun badLimit = cli("release", "list", "--limit", "0");
    assertThat(badLimit.exitCode()).isEqualTo(2);
    CliRun none = cli("release", "cancel", "nothing", "9.9.9");
    assertThat(none.exitCode()).isEqualTo(3);
    assertThat(none.err().strip()).startsWith("no release 9.9.9 of nothing found").doesNotContain("\n");
    CliRun empty = cli("release", "list", "--project", "nothing");
    assertThat(empty.exitCode()).isZero();
    assertThat(empty.out().strip()).isEqualTo("No promotions found.");
    CliRun help = cli("release", "cancel", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Cancel the running promotion of a version.");
  }

  /** Asks to cancel again until the promotion has ended and the command says so. */
  private static CliRun awaitEnded(String project, String version) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    CliRun last = null;
    while (System.nanoTime() < deadline) {
      last = cli("release", "cancel", project, version);
      if (last.exitCode() != 0) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the promotion never ended; last: " + last);
  }

  private static CliRun cli(String... args) {
    CliRun run = CliRun.of(env, args);
    SiloCliTest.assertNoStackTrace(run);
    return run;
  }
}
