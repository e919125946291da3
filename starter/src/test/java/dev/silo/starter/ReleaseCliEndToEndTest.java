package dev.silo.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.TemporalConnection;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.ReleaseRequest;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.SshSignatures;
import dev.silo.workflows.signing.VerifiedSigner;
import io.temporal.api.common.v1.Payloads;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@code silo release} as people would, against Temporal's own in-memory server and a worker
 * running test-only implementations of the release contracts whose course the test steers: the
 * approvals through the CLI, the watch window's verdict through a signal.
 */
class ReleaseCliEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestServer.PortBoundTestServer server;
  private static TemporalConnection workerConnection;
  private static WorkerFactory workers;
  private static Map<String, String> env;

  /** A home without SSH keys: decisions go unsigned, which the scripted deployments take as typed. */
  @TempDir static Path keylessHome;

  @BeforeAll
  static void startServerAndWorker() {
    PortBoundServers.Started started = PortBoundServers.start();
    server = started.server();
    int port = started.port();
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + port,
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
  void givenAReleaseToStaging_whenTwoApproversApproveAndTheWatchIsQuiet_itSucceedsAndWatchExits0()
      throws Exception {
    CliRun start = cli("release", "start", "shop", "1.0.0", "--to", "staging", "--requester", "bob");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.out())
        .contains("Started the release of shop 1.0.0 to staging requested by bob.")
        .contains("workflow  release-shop-1.0.0")
        .contains("silo release watch shop 1.0.0")
        .contains("silo release status shop")
        .contains("silo release approve shop <ENV> [--comment TEXT]")
        .contains("signed    no: unsigned start");
    String runId = runIdIn(start.out());

    CliRun again = cli("release", "start", "shop", "1.0.0", "--to", "prod", "--requester", "bob", "--unsigned");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
    assertThat(again.err().strip()).isEqualTo("release 1.0.0 of shop is already running (workflow release-shop-1.0.0,"
        + " run " + runId + "): follow it with 'silo release watch shop 1.0.0'");

    awaitDeployment("release-shop-1.0.0-dev", EnvironmentStatus.WATCHING);

    CliRun early = cli("release", "approve", "shop", "dev", "--as", "alice", "--unsigned");
    assertThat(early.exitCode()).as(early.toString()).isEqualTo(2);
    assertThat(early.err().strip()).isEqualTo("release-shop-1.0.0-dev is not awaiting approval (status WATCHING,"
        + " stage watch): nothing was sent; see 'silo release status shop'");
    assertThat(deployment("release-shop-1.0.0-dev").decisions()).isEmpty();
    CliRun running = cli("release", "report", "shop", "1.0.0");
    assertThat(running.exitCode()).isEqualTo(3);
    assertThat(running.err()).contains("release 1.0.0 of shop is still running");

    endWatchWindow("release-shop-1.0.0-dev", "");
    awaitDeployment("release-shop-1.0.0-staging", EnvironmentStatus.AWAITING_APPROVAL);
    RunningCli watch = RunningCli.start(env, "release", "watch", "shop", "1.0.0");
    String plan = DecisionText.shortHash(deployment("release-shop-1.0.0-staging").planHash());
    CliRun first = cli("release", "approve", "shop", "staging", "--as", "alice", "--comment", "tests pass");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out())
        .startsWith("approve accepted from alice (UNSIGNED, plan " + plan + "): 1 of 2\n"
            + "  deployment release-shop-1.0.0-staging (shop 1.0.0 in staging, run ")
        .contains("Approval: 1 of 2 approvals (alice); still needed: 1 more from carol, dave; until ");
    CliRun second = cli("release", "approve", "shop", "staging", "--as", "carol", "--version", "1.0.0",
        "--output", "json");
    assertThat(second.exitCode()).as(second.toString()).isZero();
    JsonNode sent = JSON.readTree(second.out());
    assertThat(sent.get("workflowId").asText()).isEqualTo("release-shop-1.0.0-staging");
    assertThat(sent.get("approvedBy").toString()).isEqualTo("[\"alice\",\"carol\"]");
    assertThat(sent.get("stillNeeded").asInt()).isZero();
    assertThat(sent.get("counts").asBoolean()).isTrue();
    assertThat(sent.get("via").asText()).isEqualTo("update");
    assertThat(sent.at("/recorded/actor").asText()).isEqualTo("carol");

    awaitDeployment("release-shop-1.0.0-staging", EnvironmentStatus.WATCHING);
    // The watch asks about once a second: it must have seen the deployment watching before the window ends.
    watch.awaitPrinted("staging  ⏳ WATCHING", Duration.ofSeconds(20));
    endWatchWindow("release-shop-1.0.0-staging", "");
    CliRun watched = finished(watch);
    assertThat(watched.exitCode()).as(watched.toString()).isZero();
    assertThat(watched.out())
        .contains("release  ⏳ RUNNING")
        .contains("dev      ✅ SUCCEEDED")
        .contains("staging  ⏳ started release-shop-1.0.0-staging")
        .contains("staging  ⏸️ AWAITING_APPROVAL: ")
        .contains("silo release approve shop staging [--comment TEXT]")
        .contains("staging  ✅ pre_flight      lint                      PASSED  0.4s    exit 0")
        .contains("staging  ✅ 20")
        .contains("approve by alice [UNSIGNED, plan " + plan + "] \"tests pass\" (accepted: 1 of 2)")
        .contains("staging  ⏳ WATCHING")
        .contains("staging  ✅ watch           watch window              PASSED  1m      no trigger fired\n")
        .contains("staging  ✅ SUCCEEDED\n")
        .contains("release  ✅ SUCCEEDED\n\n✅ RELEASE SUCCEEDED : shop 1.0.0 → staging")
        .contains("Commit : " + ScriptedReleasePipeline.COMMIT)
        .contains("Approval : APPROVED by alice, carol (2 needed from alice, carol, dave)")
        .contains("✅ watch           watch window              PASSED  1m      no trigger fired");

    CliRun report = cli("release", "report", "shop", "1.0.0", "--output", "json");
    assertThat(report.exitCode()).as(report.toString()).isZero();
    JsonNode json = JSON.readTree(report.out());
    assertThat(json.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(json.at("/environments/1/environment").asText()).isEqualTo("staging");
    assertThat(json.at("/environments/1/approval/approvedBy").toString()).isEqualTo("[\"alice\",\"carol\"]");
    assertThat(json.get("notRun")).isEmpty();
    assertThat(json.at("/environments/1/decisions/0/actor").asText()).isEqualTo("alice");
    assertThat(json.at("/environments/1/decisions/0/signature").asText()).isEqualTo("UNSIGNED");
    assertThat(json.at("/environments/1/decisions/0/via").asText()).isEqualTo("update");
    assertThat(DecisionText.shortHash(json.at("/environments/1/decisions/0/planHash").asText())).isEqualTo(plan);
  }

  @Test
  void givenAHolderAwaitingApprovalAndAnotherReleaseQueued_whenAskingForStatus_itShowsWhoWaitsOnWhom()
      throws Exception {
    assertThat(cli("release", "start", "crm", "1.0.0", "--to", "staging", "--requester", "bob").exitCode()).isZero();
    awaitDeployment("release-crm-1.0.0-dev", EnvironmentStatus.WATCHING);
    endWatchWindow("release-crm-1.0.0-dev", "");
    awaitDeployment("release-crm-1.0.0-staging", EnvironmentStatus.AWAITING_APPROVAL);
    RunningCli follow = RunningCli.start(env, "release", "start", "crm", "1.1.0",
        "--to", "uat", "--requester", "eve", "--follow", "--output", "json");
    awaitDeployment("release-crm-1.1.0-dev", EnvironmentStatus.WATCHING);
    endWatchWindow("release-crm-1.1.0-dev", "");
    awaitDeployment("release-crm-1.1.0-staging", EnvironmentStatus.WAITING_FOR_LOCK);
    // The follower asks about once a second: it must have seen the deployment waiting for the lock.
    follow.awaitPrinted("staging  ⏸️ WAITING_FOR_LOCK: waiting on release-crm-1.0.0-staging", Duration.ofSeconds(20));
    JsonNode status = awaitStatus("crm", json -> json.at("/environments/1/waiting").size() == 1);

    assertThat(status.at("/environments/0/lock").asText()).isEqualTo("FREE");
    assertThat(status.at("/environments/1/lock").asText()).isEqualTo("HELD");
    assertThat(status.at("/environments/1/holder/workflowId").asText()).isEqualTo("release-crm-1.0.0-staging");
    assertThat(status.at("/environments/1/holder/requester").asText()).isEqualTo("bob");
    assertThat(status.at("/environments/1/holder/progress/status").asText()).isEqualTo("AWAITING_APPROVAL");
    assertThat(status.at("/environments/1/holder/progress/approval/required").asInt()).isEqualTo(2);
    assertThat(status.at("/environments/1/waiting/0/workflowId").asText()).isEqualTo("release-crm-1.1.0-staging");
    assertThat(status.at("/environments/1/waiting/0/waitingOn").asText()).isEqualTo("release-crm-1.0.0-staging");
    assertThat(status.at("/environments/2/lock").asText()).isEqualTo("NO_DEPLOYMENT_YET");
    assertThat(status.at("/environments/2/holder").isNull()).isTrue();
    assertThat(status.at("/environments/3/environment").asText()).isEqualTo("prod");
    CliRun text = cli("release", "status", "crm");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out())
        .contains("dev\n  ✅ free: no deployment holds it")
        .contains("staging\n  ⏸️ held by release-crm-1.0.0-staging: 1.0.0, requested by bob at ")
        .contains("     AWAITING_APPROVAL, stage approval\n"
            + "     approval: 0 of 2 approvals; still needed: 2 from alice, carol, dave; until ")
        .contains("; plan " + DecisionText.shortHash(deployment("release-crm-1.0.0-staging").planHash()) + "\n")
        .contains("       silo release approve crm staging [--comment TEXT]")
        .contains("       ✅ pre_flight      lint                      PASSED  0.4s    exit 0")
        .contains("  waiting (1):\n     1. ⏸️ release-crm-1.1.0-staging: 1.1.0, requested by eve at ")
        .contains(", waiting on release-crm-1.0.0-staging")
        .contains("uat\n  – no deployment yet");

    CliRun stranger = cli("release", "approve", "crm", "staging", "--as", "mallory", "--unsigned");
    assertThat(stranger.exitCode()).as(stranger.toString()).isEqualTo(2);
    assertThat(stranger.out()).isEmpty();
    assertThat(stranger.err().lines()).singleElement().asString()
        .isEqualTo("refused: mallory is not an approver (alice, carol, dave)");
    assertThat(deployment("release-crm-1.0.0-staging").decisions()).isEmpty();
    CliRun signalled = cli("release", "approve", "crm", "staging", "--as", "mallory", "--unsigned", "--signal");
    assertThat(signalled.exitCode()).as(signalled.toString()).isZero();
    assertThat(signalled.out())
        .startsWith("Sent the approve signal to release-crm-1.0.0-staging (crm 1.0.0 in staging, run ")
        .contains("⚠️ mallory is not among the approvers (alice, carol, dave): the run records this approve as ignored.");
    assertThat(deployment("release-crm-1.0.0-staging").decisions())
        .extracting(decision -> decision.actor() + " " + decision.accepted() + " " + decision.via() + " "
            + decision.note())
        .containsExactly("mallory false signal ignored: mallory is not an approver (alice, carol, dave)");
    assertThat(cli("release", "status", "crm").out()).contains("     decisions:\n       ❌ ")
        .contains("  approve by mallory [UNSIGNED, plan "
            + DecisionText.shortHash(deployment("release-crm-1.0.0-staging").planHash())
            + ", via signal] (ignored: mallory is not an approver (alice, carol, dave))\n");
    CliRun reject = cli("release", "reject", "crm", "staging", "--as", "alice", "--comment", "not this week");
    assertThat(reject.exitCode()).as(reject.toString()).isZero();
    assertThat(reject.out()).startsWith("reject accepted from alice (UNSIGNED, plan ")
        .contains("An approver's rejection ends the deployment REJECTED before anything changes.");
    CliRun rejected = cli("release", "watch", "crm", "1.0.0");
    assertThat(rejected.exitCode()).as(rejected.toString()).isEqualTo(1);
    assertThat(rejected.out())
        .contains("❌ RELEASE STOPPED : crm 1.0.0 → staging")
        .contains("❌ staging : REJECTED")
        .contains("Approval : REJECTED (2 needed from alice, carol, dave): rejected by alice: not this week");

    awaitDeployment("release-crm-1.1.0-staging", EnvironmentStatus.AWAITING_APPROVAL);
    assertThat(cli("release", "approve", "crm", "staging", "--as", "alice").exitCode()).isZero();
    assertThat(cli("release", "approve", "crm", "staging", "--as", "dave").exitCode()).isZero();
    awaitDeployment("release-crm-1.1.0-staging", EnvironmentStatus.WATCHING);
    endWatchWindow("release-crm-1.1.0-staging", "error rate 7.5% above 2%");

    CliRun followed = finished(follow);
    assertThat(followed.exitCode()).as(followed.toString()).isEqualTo(1);
    assertThat(followed.out().lines().toList()).hasSize(2);
    assertThat(JSON.readTree(followed.out().lines().toList().get(0)).get("workflowId").asText())
        .isEqualTo("release-crm-1.1.0");
    assertThat(JSON.readTree(followed.out().lines().toList().get(1)).get("status").asText()).isEqualTo("STOPPED");
    assertThat(followed.err())
        .contains("staging  ⏸️ WAITING_FOR_LOCK: waiting on release-crm-1.0.0-staging (1.0.0, requested by bob)")
        .contains("staging  ❌ ROLLED_BACK")
        .contains("release  ❌ STOPPED");

    CliRun rolledBack = cli("release", "watch", "crm", "1.1.0");
    assertThat(rolledBack.exitCode()).as(rolledBack.toString()).isEqualTo(1);
    assertThat(rolledBack.out())
        .contains("❌ RELEASE STOPPED : crm 1.1.0 → uat")
        .contains("Reason : staging ROLLED_BACK: watch window: error rate 7.5% above 2%")
        .contains("❌ staging : ROLLED_BACK")
        .contains("❌ watch           watch window              FAILED  20s     error rate 7.5% above 2%")
        .contains("Rollback :\n    ✅ rollback        restore backup            PASSED  2.5s    restored"
            + " /var/backups/crm-staging.dump")
        .contains("Backup : /var/backups/crm-staging.dump")
        .contains("Bad version : ⚠️ 1.1.0 marked bad in staging: error rate 7.5% above 2% (by"
            + " release-crm-1.1.0-staging at ")
        .contains("– Not run : uat");
    CliRun report = cli("release", "report", "crm", "1.1.0", "--output", "json");
    assertThat(report.exitCode()).isEqualTo(1);
    JsonNode json = JSON.readTree(report.out());
    assertThat(json.get("status").asText()).isEqualTo("STOPPED");
    assertThat(json.at("/environments/1/status").asText()).isEqualTo("ROLLED_BACK");
    assertThat(json.at("/environments/1/badVersion/bad").asBoolean()).isTrue();
    assertThat(json.get("notRun").toString()).isEqualTo("[\"uat\"]");
  }

  @Test
  void givenAWatchWindowWaitingAfterInconclusiveReadings_whenAPersonApprovesThroughTheCli_itShouldAcceptTheVersion()
      throws Exception {
    CliRun start = cli("release", "start", "erp", "2.0.0", "--to", "dev", "--requester", "bob");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    awaitDeployment("release-erp-2.0.0-dev", EnvironmentStatus.WATCHING);
    endWatchWindow("release-erp-2.0.0-dev", ScriptedEnvironmentDeployment.INCONCLUSIVE);
    awaitDeployment("release-erp-2.0.0-dev", EnvironmentStatus.AWAITING_DECISION);

    CliRun status = cli("release", "status", "erp");
    assertThat(status.out())
        .contains("watch window undecided: 1 inconclusive reading(s) of error_rate > 1% (limit 1)")
        .contains("error_rate > 1%  inconclusive  the metrics source could not be read")
        .contains("silo release approve erp dev [--comment TEXT]   (accepts the version)")
        .contains("silo release reject erp dev --comment TEXT   (rolls it back)");
    CliRun accept = cli("release", "approve", "erp", "dev", "--as", "carol", "--comment", "Grafana is green");
    assertThat(accept.exitCode()).as(accept.toString()).isZero();
    assertThat(accept.out())
        .startsWith("approve accepted from carol (UNSIGNED): the version is accepted despite the inconclusive"
            + " readings\n  deployment release-erp-2.0.0-dev (erp 2.0.0 in dev, run ")
        .contains("the version is accepted.");

    awaitDeployment("release-erp-2.0.0-dev", EnvironmentStatus.SUCCEEDED);
    assertThat(deployment("release-erp-2.0.0-dev").decisions())
        .extracting(decision -> decision.signal() + " " + decision.actor() + " " + decision.accepted())
        .containsExactly("approve carol true");
  }

  @Test
  void givenAKey_whenStartingARelease_theRequestCarriesAStartSignatureThatVerifiesAgainstTheKey() throws Exception {
    Path key = keylessHome.resolve("carol");
    Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "carol", "-f",
        key.toString()).redirectErrorStream(true).start();
    assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0).isTrue();
    String[] publicKey = Files.readString(Path.of(key + ".pub")).strip().split(" ");
    AllowedSigners trust = AllowedSigners.parse(
        "carol@example.com namespaces=\"silo-deployer\" " + publicKey[0] + " " + publicKey[1] + "\n", "test");

    CliRun start = cli("release", "start", "hr", "3.0.0", "--to", "dev", "--requester", "carol", "--key",
        key.toString(), "--output", "json");

    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.err()).isEmpty();
    JsonNode started = JSON.readTree(start.out());
    ReleaseRequest request = startRequest("release-hr-3.0.0");
    VerifiedSigner signer = SshSignatures.verify(trust, DecisionText.NAMESPACE,
        DecisionText.start("release-hr-3.0.0", request.signedText(), request.start().signedAt())
            .getBytes(StandardCharsets.UTF_8),
        request.start().signature());
    assertThat(signer.principal()).isEqualTo("carol@example.com");
    assertThat(started.get("signedBy").asText()).isEqualTo(signer.fingerprint());
    awaitDeployment("release-hr-3.0.0-dev", EnvironmentStatus.WATCHING);
    endWatchWindow("release-hr-3.0.0-dev", "");
  }

  /** The request a promotion was started with, as its history holds it. */
  private static ReleaseRequest startRequest(String workflowId) {
    Payloads input = workerConnection.client().fetchHistory(workflowId).getHistory().getEvents(0)
        .getWorkflowExecutionStartedEventAttributes().getInput();
    return workerConnection.client().getOptions().getDataConverter()
        .fromPayloads(0, Optional.of(input), ReleaseRequest.class, ReleaseRequest.class);
  }

  @Test
  void givenNothingDeployedToAnEnvironment_whenApprovingOrWatching_itExitsWith3() {
    CliRun approve = cli("release", "approve", "nobody", "prod", "--as", "alice", "--unsigned");
    CliRun watch = cli("release", "watch", "nobody", "1.0.0");
    CliRun status = cli("release", "status", "nobody");

    assertThat(approve.exitCode()).as(approve.toString()).isEqualTo(3);
    assertThat(approve.err().strip()).isEqualTo("no deployment of nobody to prod found (no lock"
        + " release-lock-nobody-prod): start one with 'silo release start nobody <VERSION> --to prod'");
    assertThat(watch.exitCode()).isEqualTo(3);
    assertThat(watch.err().strip()).isEqualTo("no release 1.0.0 of nobody found (workflow release-nobody-1.0.0):"
        + " start one with 'silo release start nobody 1.0.0 --to <ENV>'");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("prod\n  – no deployment yet");
  }

  private static CliRun cli(String... args) {
    CliRun run = CliRun.of(env, args);
    SiloCliTest.assertNoStackTrace(run);
    return run;
  }

  private static CliRun finished(RunningCli running) throws Exception {
    CliRun run = running.finish(Duration.ofSeconds(60));
    SiloCliTest.assertNoStackTrace(run);
    return run;
  }

  private static EnvironmentProgress deployment(String workflowId) {
    return workerConnection.client().newUntypedWorkflowStub(workflowId).query("progress", EnvironmentProgress.class);
  }

  /** What the metrics would tell the watch window: nothing (empty) or the trigger that fired. */
  private static void endWatchWindow(String workflowId, String trigger) {
    workerConnection.client().newUntypedWorkflowStub(workflowId)
        .signal(ScriptedEnvironmentDeployment.WATCH_VERDICT, trigger);
  }

  private static void awaitDeployment(String workflowId, EnvironmentStatus status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    EnvironmentProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = deployment(workflowId);
        if (last.status() == status) {
          return;
        }
      } catch (RuntimeException notStartedYet) {
        // The pipeline has not started this deployment yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError(workflowId + " never reached " + status + "; last progress: " + last);
  }

  private static JsonNode awaitStatus(String project, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      CliRun run = cli("release", "status", project, "--output", "json");
      if (run.exitCode() == 0) {
        last = JSON.readTree(run.out());
        if (condition.test(last)) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the status never matched; last: " + last);
  }

  private static String runIdIn(String startOutput) {
    return startOutput.lines()
        .filter(line -> line.strip().startsWith("run "))
        .map(line -> line.strip().substring("run ".length()).strip())
        .findFirst()
        .orElseThrow();
  }
}
