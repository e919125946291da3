package dev.silo.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.TemporalConnection;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.silo.SiloDeploymentWorkflowImpl;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed starts and approvals end to end: real keys made by {@code ssh-keygen}, a worker running the
 * real silo workflow with an allowed-signers file naming alice and bob (mallory's key is not in it),
 * and the CLI signing with {@code --key}.
 */
class SignedApprovalsEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static TestServer.PortBoundTestServer server;
  private static TemporalConnection workerConnection;
  private static WorkerFactory workers;
  private static Map<String, String> env;
  private static Path allowedSigners;
  private static Path alice;
  private static Path bob;
  private static Path mallory;

  @BeforeAll
  static void startServerAndSigningWorker() throws Exception {
    alice = keygen("alice");
    bob = keygen("bob");
    mallory = keygen("mallory");
    allowedSigners = dir.resolve("allowed_signers");
    Files.writeString(allowedSigners,
        "alice@example.com namespaces=\"silo-deployer\" " + publicKey(alice) + "\n"
            + "bob@example.com namespaces=\"silo-deployer\" " + publicKey(bob) + "\n");
    AllowedSigners trust =
        AllowedSigners.parse(Files.readString(allowedSigners), allowedSigners.toAbsolutePath().toString());

    PortBoundServers.Started started = PortBoundServers.start();
    server = started.server();
    SiloCliEndToEndTest.registerSearchAttributes(started.port());
    Path home = Files.createDirectories(dir.resolve("home"));
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + started.port(),
        "TEMPORAL_NAMESPACE", "default",
        "SILO_PAYLOAD_KEY", SiloCliTest.randomKey(),
        "HOME", home.toString(),
        "USER", "alice");
    workerConnection = TemporalConnection.open(env, notice -> {});
    workers = WorkerFactory.newInstance(workerConnection.client());
    Worker silo = workers.newWorker(TaskQueues.SILO);
    silo.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class);
    silo.registerActivitiesImplementations(
        SiloCliEndToEndTest.configActivities(), SiloCliEndToEndTest.deskActivities(),
        SiloCliEndToEndTest.flyActivities(), SiloCliEndToEndTest.databaseActivities(),
        SiloCliEndToEndTest.gitActivities(), SiloCliEndToEndTest.netlifyActivities(), new WorkerTrust(trust));
    workers.newWorker(TaskQueues.DOCKER).registerActivitiesImplementations(SiloCliEndToEndTest.dockerActivities());
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
  void givenAStartSignedByAlice_whenBobApprovesWithHisKey_itDeploysAndTheReportNamesBobWithHisKey()
      throws Exception {
    CliRun deploy = cli("deploy", "acme", "crm", "--requester", "alice", "--key", alice.toString());
    assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    assertThat(deploy.out()).contains("signed    by key " + fingerprint(alice));
    JsonNode waiting = awaitStatus("acme", "crm", "AWAITING_APPROVAL");
    String plan = DecisionText.shortHash(waiting.get("planHash").asText());

    CliRun approve = cli("approve", "acme", "crm", "--key", bob.toString(), "--comment", "reviewed the plan");

    assertThat(approve.exitCode()).as(approve.toString()).isZero();
    assertThat(approve.err()).isEmpty();
    assertThat(approve.out()).startsWith("approve accepted from bob@example.com (key " + fingerprint(bob)
        + ", SIGNED, plan " + plan + "): plan approved");
    CliRun watch = cli("watch", "acme", "crm");
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out()).contains("SILO DEPLOYED : acme-crm")
        .contains("Requested by : alice@example.com")
        .contains("  Plan : " + plan)
        .contains("approve by bob@example.com [key " + fingerprint(bob) + ", SIGNED, plan " + plan
            + "] \"reviewed the plan\" (accepted: plan approved)");
    JsonNode report = JSON.readTree(cli("report", "acme", "crm", "--output", "json").out());
    assertThat(report.get("requester").asText()).isEqualTo("alice@example.com");
    JsonNode decision = report.at("/decisions/0");
    assertThat(decision.get("actor").asText()).isEqualTo("bob@example.com");
    assertThat(decision.get("fingerprint").asText()).isEqualTo(fingerprint(bob));
    assertThat(decision.get("signature").asText()).isEqualTo("SIGNED");
    assertThat(decision.get("planHash").asText()).isEqualTo(waiting.get("planHash").asText());
    assertThat(decision.get("via").asText()).isEqualTo("update");
    assertThat(decision.get("accepted").asBoolean()).isTrue();
  }

  @Test
  void givenAliceStartedTheRun_whenSheApprovesItWithHerKey_itIsRefusedInOneLineAndNothingIsRecorded()
      throws Exception {
    assertThat(cli("deploy", "acme", "erp", "--requester", "alice", "--key", alice.toString()).exitCode()).isZero();
    awaitStatus("acme", "erp", "AWAITING_APPROVAL");

    String reason = "alice@example.com requested this run (same key or principal) and may not approve it";

    CliRun approve = cli("approve", "acme", "erp", "--key", alice.toString());

    assertRefused(approve, reason, "acme erp");
    JsonNode status = awaitStatus("acme", "erp", "AWAITING_APPROVAL");
    assertThat(status.get("decisions")).isEmpty();
    CliRun signal = cli("approve", "acme", "erp", "--key", alice.toString(), "--signal");
    assertThat(signal.exitCode()).as(signal.toString()).isZero();
    assertThat(cli("status", "acme", "erp").out())
        .contains("approve by alice@example.com [key " + fingerprint(alice) + ", SIGNED, plan ")
        .contains(", via signal] (ignored: " + reason + ")");
    assertThat(cli("reject", "acme", "erp", "--key", alice.toString(), "--comment", "withdrawn").exitCode())
        .isZero();
  }

  @Test
  void givenAKeyNotInTheAllowedSigners_whenApproving_itIsRefusedNamingTheFile() throws Exception {
    assertThat(cli("deploy", "acme", "shop", "--requester", "alice", "--key", alice.toString()).exitCode())
        .isZero();
    awaitStatus("acme", "shop", "AWAITING_APPROVAL");

    String reason = "key " + fingerprint(mallory) + " is not in " + allowedSigners.toAbsolutePath();

    CliRun approve = cli("approve", "acme", "shop", "--key", mallory.toString());

    assertRefused(approve, reason, "acme shop");
    assertThat(awaitStatus("acme", "shop", "AWAITING_APPROVAL").get("decisions")).isEmpty();
    assertThat(cli("approve", "acme", "shop", "--key", mallory.toString(), "--signal").exitCode()).isZero();
    JsonNode recorded = awaitStatus("acme", "shop", "AWAITING_APPROVAL").at("/decisions/0");
    assertThat(recorded.get("accepted").asBoolean()).isFalse();
    assertThat(recorded.get("signature").asText()).isEqualTo("INVALID");
    assertThat(recorded.get("note").asText()).isEqualTo("ignored: " + reason);
  }

  @Test
  void givenASigningWorker_whenApprovingUnsigned_itIsRefused() throws Exception {
    assertThat(cli("deploy", "acme", "hr", "--requester", "alice", "--key", alice.toString()).exitCode()).isZero();
    awaitStatus("acme", "hr", "AWAITING_APPROVAL");

    CliRun approve = cli("approve", "acme", "hr", "--unsigned", "--as", "bob@example.com");

    assertRefused(approve, "unsigned decisions are refused: the worker verifies signatures against "
        + allowedSigners.toAbsolutePath() + "; sign it with the silo CLI (--key FILE)", "acme hr");
    assertThat(awaitStatus("acme", "hr", "AWAITING_APPROVAL").get("decisions")).isEmpty();
  }

  @Test
  void givenASigningWorker_whenStartingUnsigned_theRunFailsSayingWhy() {
    CliRun deploy = cli("deploy", "acme", "ops", "--requester", "alice", "--unsigned");
    assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    assertThat(deploy.out()).contains("signed    no: unsigned start");

    CliRun watch = cli("watch", "acme", "ops");

    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(1);
    assertThat(watch.all()).contains("the start request is not signed");
  }

  /** Exit code 2, nothing on stdout, one line on stderr: the run's own reason, through the payload codec. */
  private static void assertRefused(CliRun run, String reason, String silo) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).as("refusal for %s", silo).singleElement().asString().isEqualTo("refused: " + reason);
  }

  private static CliRun cli(String... args) {
    CliRun run = CliRun.of(env, args);
    SiloCliTest.assertNoStackTrace(run);
    return run;
  }

  private static JsonNode awaitStatus(String client, String app, String status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      CliRun run = cli("status", client, app, "--output", "json");
      if (run.exitCode() == 0) {
        last = JSON.readTree(run.out());
        if (status.equals(last.get("status").asText())) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the run never reached " + status + "; last progress: " + last);
  }

  /** A fresh Ed25519 key without a passphrase, made by ssh-keygen. */
  private static Path keygen(String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
    return key;
  }

  /** {@code ssh-ed25519 AAAA...}: the public key's type and blob, without its comment. */
  private static String publicKey(Path key) throws IOException {
    String[] fields = Files.readString(Path.of(key + ".pub")).strip().split(" ");
    return fields[0] + " " + fields[1];
  }

  /** The fingerprint as {@code ssh-keygen -l} prints it. */
  private static String fingerprint(Path key) throws IOException, InterruptedException {
    return run("ssh-keygen", "-l", "-f", key + ".pub").split(" ")[1];
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }
}
