package dev.silo.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.TemporalConnection;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.Healthcheck;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.PublicSiloKeys;
import dev.silo.workflows.database.SecretsReady;
import dev.silo.workflows.database.SiloKeys;
import dev.silo.workflows.database.SiloSecrets;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
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
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.fly.FlyMachineConfig;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.git.PushBranchRequest;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyBuild;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflowImpl;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI as a person would, against Temporal's own in-memory server and a worker running
 * the real workflow with its activities mocked at the activity boundary.
 */
class SiloCliEndToEndTest {

  private static final String NAMESPACE = "default";
  private static final String COMMIT = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestServer.PortBoundTestServer server;
  private static TemporalConnection workerConnection;
  private static WorkerFactory workers;
  private static Map<String, String> env;

  /** A home without SSH keys: every decision here goes unsigned, as the worker has no allowed signers. */
  @TempDir static Path keylessHome;

  @BeforeAll
  static void startServerAndWorker() {
    PortBoundServers.Started started = PortBoundServers.start();
    server = started.server();
    int port = started.port();
    registerSearchAttributes(port);
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + port,
        "TEMPORAL_NAMESPACE", NAMESPACE,
        "SILO_PAYLOAD_KEY", SiloCliTest.randomKey(),
        "HOME", keylessHome.toString());
    workerConnection = TemporalConnection.open(env, notice -> {});
    workers = WorkerFactory.newInstance(workerConnection.client());
    Worker silo = workers.newWorker(TaskQueues.SILO);
    silo.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class);
    silo.registerActivitiesImplementations(
        configActivities(), deskActivities(), flyActivities(), databaseActivities(), gitActivities(),
        netlifyActivities(), new WorkerTrust(AllowedSigners.none()));
    workers.newWorker(TaskQueues.DOCKER).registerActivitiesImplementations(dockerActivities());
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
  void givenADeployment_whenAliceApproves_itDeploysAndTheReportListsTheSilo() throws Exception {
    CliRun deploy = cli("deploy", "acme", "crm", "--approver", "alice", "--requester", "bob");
    assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    assertThat(deploy.out())
        .contains("silo-acme-crm")
        .contains("silo approve acme crm [--comment TEXT]")
        .contains("silo reject acme crm --comment TEXT")
        .contains("signed    no: unsigned start");
    String runId = runIdIn(deploy.out());

    JsonNode waiting = awaitStatus("acme", "crm", "AWAITING_APPROVAL");
    assertThat(waiting.at("/pending/signal").asText()).isEqualTo("approve");
    assertThat(waiting.at("/pending/allowedActors/0").asText()).isEqualTo("alice");
    assertThat(waiting.at("/plan/flyApps")).hasSize(6);
    assertThat(waiting.at("/steps/0/startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    CliRun again = cli("deploy", "acme", "crm", "--approver", "alice", "--requester", "bob", "--unsigned");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
    assertThat(again.err().strip())
        .isEqualTo("a deployment of acme-crm is already running (workflow silo-acme-crm, run " + runId
            + "): follow it with 'silo watch acme crm'");

    CliRun text = cli("status", "acme", "crm");
    assertThat(text.exitCode()).isZero();
    String plan = waiting.get("planHash").asText().substring("sha256:".length(), "sha256:".length() + 12);
    assertThat(text.out()).contains("AWAITING_APPROVAL").contains("silo approve acme crm [--comment TEXT]")
        .contains("Plan for acme-crm (Acme crm), plan " + plan + ":");

    CliRun approve = cli("approve", "acme", "crm", "--as", "alice", "--comment", "looks right");
    assertThat(approve.exitCode()).as(approve.toString()).isZero();
    assertThat(approve.err().lines()).singleElement().asString()
        .startsWith("no SSH key found").contains(keylessHome.resolve(".ssh").resolve("id_ed25519").toString())
        .endsWith("the decision is sent unsigned; a worker that requires signatures refuses it");
    assertThat(approve.out()).startsWith("approve accepted from alice (UNSIGNED, plan " + plan + "): plan approved");

    CliRun watch = cli("watch", "acme", "crm");
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out())
        .contains("✅ SILO DEPLOYED : acme-crm")
        .contains("https://devenv-acme-crm-pg.fly.dev")
        .contains("https://devenv-acme-crm-studio.fly.dev")
        .contains("silo/acme-crm")
        .contains("Preview URL : https://silo-acme-crm--acme-web.netlify.app")
        .contains("approve by alice [UNSIGNED, plan " + plan + "] \"looks right\" (accepted: plan approved)");

    CliRun report = cli("report", "acme", "crm", "--output", "json");
    assertThat(report.exitCode()).isZero();
    JsonNode json = JSON.readTree(report.out());
    assertThat(json.get("status").asText()).isEqualTo("DEPLOYED");
    assertThat(json.at("/decisions/0/actor").asText()).isEqualTo("alice");
    assertThat(json.at("/decisions/0/signature").asText()).isEqualTo("UNSIGNED");
    assertThat(json.at("/decisions/0/via").asText()).isEqualTo("update");
    assertThat(json.at("/decisions/0/fingerprint").isNull()).isTrue();
    assertThat(json.at("/decisions/0/planHash").asText()).isEqualTo(waiting.get("planHash").asText());
    assertThat(json.get("planHash").asText()).isEqualTo(waiting.get("planHash").asText());
    assertThat(json.at("/flyApps/0/url").asText()).isEqualTo("https://devenv-acme-crm-pg.fly.dev");
    // The engine said this run created the containers: the report says so in JSON and in text.
    assertThat(json.at("/containers/0/createdByThisRun").asBoolean()).isTrue();
    assertThat(json.at("/ledger/0/system").asText()).isEqualTo("CONTAINERS");
    assertThat(json.at("/ledger/0/action").asText()).isEqualTo("CREATED");
    assertThat(watch.out()).contains("• CREATED  " + json.at("/ledger/0/item").asText());

    CliRun list = cli("list", "--output", "json");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(JSON.readTree(list.out()).findValuesAsText("workflowId")).contains("silo-acme-crm");
    CliRun listText = cli("list");
    assertThat(listText.out()).contains("silo-acme-crm").contains("COMPLETED");

    CliRun late = cli("approve", "acme", "crm", "--as", "alice");
    assertThat(late.exitCode()).isEqualTo(3);
    assertThat(late.err()).contains("is not running");
  }

  @Test
  void givenRunsOfTwoClients_whenListingWithFiltersOnTheJavaServer_itShouldListOnlyTheRunsThatMatch()
      throws Exception {
    assertThat(cli("deploy", "filterco", "crm", "--approver", "alice", "--requester", "bob").exitCode()).isZero();
    assertThat(cli("deploy", "otherco", "crm", "--approver", "alice", "--requester", "bob").exitCode()).isZero();
    JsonNode waiting = awaitStatus("filterco", "crm", "AWAITING_APPROVAL");
    awaitStatus("otherco", "crm", "AWAITING_APPROVAL");
    String step = waiting.get("currentStep").asText();

    CliRun byClient = cli("list", "--client", "filterco", "--output", "json");
    CliRun byAll = cli("list", "--client", "filterco", "--status", "awaiting_approval", "--step", step, "--output",
        "json");
    CliRun otherStatus = cli("list", "--client", "filterco", "--status", "DEPLOYED", "--output", "json");
    CliRun otherStep = cli("list", "--status", "AWAITING_APPROVAL", "--step", "REPORT", "--output", "json");

    assertThat(byClient.exitCode()).as(byClient.toString()).isZero();
    assertThat(JSON.readTree(byClient.out()).findValuesAsText("workflowId")).containsExactly("silo-filterco-crm");
    assertThat(JSON.readTree(byAll.out()).findValuesAsText("workflowId")).containsExactly("silo-filterco-crm");
    assertThat(JSON.readTree(otherStatus.out()).findValuesAsText("workflowId")).isEmpty();
    assertThat(JSON.readTree(otherStep.out()).findValuesAsText("workflowId")).isEmpty();
    cli("cancel", "filterco", "crm");
    cli("cancel", "otherco", "crm");
  }

  @Test
  void givenADeployment_whenAliceRejects_itEndsAbortedAndMayBeStartedAgain() throws Exception {
    assertThat(cli("deploy", "acme", "shop", "--approver", "alice", "--requester", "bob").exitCode()).isZero();
    awaitStatus("acme", "shop", "AWAITING_APPROVAL");

    CliRun reject = cli("reject", "acme", "shop", "--as", "alice", "--comment", "not this week");
    assertThat(reject.exitCode()).as(reject.toString()).isZero();

    CliRun watch = cli("watch", "acme", "shop");
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(1);
    assertThat(watch.out()).contains("❌ SILO DEPLOYMENT ABORTED : acme-shop").contains("rejected by alice");

    CliRun status = cli("status", "acme", "shop", "--output", "json");
    assertThat(status.exitCode()).isZero();
    assertThat(JSON.readTree(status.out()).get("status").asText()).isEqualTo("ABORTED");
    assertThat(cli("report", "acme", "shop").exitCode()).isEqualTo(1);

    CliRun redeploy = cli("deploy", "acme", "shop", "--approver", "alice", "--requester", "bob", "--output", "json");
    assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
    assertThat(JSON.readTree(redeploy.out()).get("workflowId").asText()).isEqualTo("silo-acme-shop");
    awaitStatus("acme", "shop", "AWAITING_APPROVAL");

    CliRun cancel = cli("cancel", "acme", "shop");
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("If it is deploying Fly apps, the ones it created will be destroyed");
    CliRun cancelled = cli("watch", "acme", "shop");
    assertThat(cancelled.exitCode()).as(cancelled.toString()).isEqualTo(1);
    assertThat(cancelled.out()).contains("CANCELLED");
  }

  @Test
  void givenARunWaitingForApproval_whenSomeoneConfirmsABranchOverwrite_itSendsNothingAndSaysWhatTheRunWaitsFor()
      throws Exception {
    assertThat(cli("deploy", "initech", "crm", "--approver", "alice", "--requester", "bob").exitCode()).isZero();
    awaitStatus("initech", "crm", "AWAITING_APPROVAL");

    CliRun confirm = cli("confirm-branch-overwrite", "initech", "crm", "--as", "alice", "--unsigned");

    assertThat(confirm.exitCode()).as(confirm.toString()).isEqualTo(2);
    assertThat(confirm.err().strip()).isEqualTo("initech-crm is not waiting for confirmBranchOverwrite (status"
        + " AWAITING_APPROVAL, step VALIDATE, waiting for approve): nothing was sent; see 'silo status initech crm'");
    JsonNode status = JSON.readTree(cli("status", "initech", "crm", "--output", "json").out());
    assertThat(status.get("decisions")).isEmpty();
    CliRun reject = cli("reject", "initech", "crm", "--as", "alice", "--signal");
    assertThat(reject.exitCode()).as(reject.toString()).isZero();
    assertThat(reject.out()).contains("Sent the reject signal to silo-initech-crm").contains("from alice (unsigned)");
    CliRun watch = cli("watch", "initech", "crm");
    assertThat(watch.out()).contains("reject by alice [UNSIGNED, plan ").contains(", via signal] (accepted");
  }

  @Test
  void givenOnFailureAsk_whenFlyFails_statusShowsTheFailureAndRetryStepDeploys() throws Exception {
    assertThat(cli("deploy", "faultyco", "crm", "--approver", "alice", "--requester", "bob", "--on-failure", "ask")
        .exitCode()).isZero();
    awaitStatus("faultyco", "crm", "AWAITING_APPROVAL");
    assertThat(cli("approve", "faultyco", "crm", "--as", "alice").exitCode()).isZero();

    JsonNode stuck = awaitStatus("faultyco", "crm", "NEEDS_ATTENTION");
    assertThat(stuck.at("/failure/step").asText()).isEqualTo("FLY");
    assertThat(stuck.at("/failure/failureType").asText()).isEqualTo("DEPLOY_FAILED");
    assertThat(stuck.at("/pending/signal").asText()).isEqualTo("retryStep");
    CliRun status = cli("status", "faultyco", "crm");
    assertThat(status.out()).contains("Failed: FLY (DEPLOY_FAILED, attempt 1)", "never passed its health checks",
        "silo retry-step faultyco crm", "silo abort faultyco crm").doesNotContain("silo skip-step");

    CliRun skip = cli("skip-step", "faultyco", "crm", "--as", "alice", "--unsigned");
    assertThat(skip.exitCode()).as(skip.toString()).isEqualTo(2);
    assertThat(skip.err().lines()).singleElement().asString()
        .startsWith("FLY may not be skipped: the runbook skips only containers (DOCKER); nothing was sent");
    CliRun own = cli("retry-step", "faultyco", "crm", "--as", "bob");
    assertThat(own.exitCode()).as(own.toString()).isEqualTo(2);
    assertThat(own.err()).contains("refused: bob is not an allowed approver (allowed: alice)");

    CliRun retry = cli("retry-step", "faultyco", "crm", "--as", "alice", "--comment", "image fixed", "--output",
        "json");
    assertThat(retry.exitCode()).as(retry.toString()).isZero();
    JsonNode sent = JSON.readTree(retry.out());
    assertThat(sent.get("signal").asText()).isEqualTo("retryStep");
    assertThat(sent.at("/recorded/note").asText()).isEqualTo("FLY retried");
    CliRun watch = cli("watch", "faultyco", "crm");
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out()).contains("SILO DEPLOYED : faultyco-crm");
    CliRun late = cli("retry-step", "faultyco", "crm", "--as", "alice");
    assertThat(late.exitCode()).isEqualTo(3);
  }

  @Test
  void givenOnFailureAsk_whenFlyFailsAndAliceAborts_itEndsInErrorAsWithoutGuidedFailure() throws Exception {
    assertThat(cli("deploy", "faultyco", "shop", "--approver", "alice", "--requester", "bob", "--on-failure", "ask")
        .exitCode()).isZero();
    awaitStatus("faultyco", "shop", "AWAITING_APPROVAL");
    CliRun early = cli("abort", "faultyco", "shop", "--as", "alice");
    assertThat(early.exitCode()).isEqualTo(2);
    assertThat(early.err()).contains("is not waiting for abortStep");
    assertThat(cli("approve", "faultyco", "shop", "--as", "alice").exitCode()).isZero();
    awaitStatus("faultyco", "shop", "NEEDS_ATTENTION");

    CliRun abort = cli("abort", "faultyco", "shop", "--as", "alice", "--comment", "not today", "--signal");
    assertThat(abort.exitCode()).as(abort.toString()).isZero();
    CliRun watch = cli("watch", "faultyco", "shop");
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(1);
    assertThat(watch.out()).contains("faultyco-shop").contains("never passed its health checks")
        .contains("abortStep by alice");
    JsonNode report = JSON.readTree(cli("report", "faultyco", "shop", "--output", "json").out());
    assertThat(report.get("status").asText()).isEqualTo("ERROR");
    assertThat(report.findValuesAsText("state")).contains("destroyed");
  }

  @Test
  void givenDeployFollow_whenAliceApproves_itPrintsTheRunThenTheReportAsJsonLines() throws Exception {
    CompletableFuture<CliRun> follow = CompletableFuture.supplyAsync(() ->
        cli("deploy", "globex", "crm", "--approver", "alice", "--requester", "bob", "--follow", "--output", "json"));
    awaitStatus("globex", "crm", "AWAITING_APPROVAL");

    JsonNode approved = JSON.readTree(cli("approve", "globex", "crm", "--as", "alice", "--output", "json").out());
    assertThat(approved.get("workflowId").asText()).isEqualTo("silo-globex-crm");
    assertThat(approved.get("signal").asText()).isEqualTo("approve");
    assertThat(approved.get("actor").asText()).isEqualTo("alice");
    assertThat(approved.get("via").asText()).isEqualTo("update");
    assertThat(approved.at("/recorded/accepted").asBoolean()).isTrue();
    assertThat(approved.at("/recorded/signature").asText()).isEqualTo("UNSIGNED");

    CliRun run = follow.get(60, TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> documents = run.out().lines().toList();
    assertThat(documents).hasSize(2);
    assertThat(JSON.readTree(documents.get(0)).get("workflowId").asText()).isEqualTo("silo-globex-crm");
    assertThat(JSON.readTree(documents.get(1)).get("status").asText()).isEqualTo("DEPLOYED");
    assertThat(run.err()).contains("DOCKER").contains("status DEPLOYED");
  }

  @Test
  void givenATerminatedRunThatNoWorkerCanReplay_whenAskingForStatus_itShowsHowItEnded() {
    WorkflowStub stub = workerConnection.client().newUntypedWorkflowStub("SiloDeploymentWorkflow",
        WorkflowOptions.newBuilder().setWorkflowId("silo-initech-crm").setTaskQueue("nobody-polls-this").build());
    stub.start(new SiloDeploymentRequest("initech", "crm", "bob", null, null, null));
    stub.terminate("stopped by the test");

    CliRun status = cli("status", "initech", "crm");
    CliRun watch = cli("watch", "initech", "crm", "--output", "json");

    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out()).contains("silo-initech-crm").contains("ERROR")
        .contains("The run ended TERMINATED without a report: stopped by the test");
    assertThat(watch.exitCode()).isEqualTo(1);
    assertThat(watch.out()).contains("ended TERMINATED without a report").contains("\"exitCode\":1");
  }

  @Test
  void givenNoPayloadKey_whenListingThenAskingForStatus_itShouldCreateNoKeyAndSayWhichKeyIsMissing(
      @TempDir Path home) {
    assertThat(cli("deploy", "umbrella", "crm", "--requester", "bob").exitCode()).isZero();
    Path keyFile = home.resolve("payload.key");
    Map<String, String> noKey = new HashMap<>(env);
    noKey.remove("SILO_PAYLOAD_KEY");
    noKey.put("SILO_PAYLOAD_KEY_FILE", keyFile.toString());

    CliRun list = CliRun.of(noKey, "list");
    CliRun status = CliRun.of(noKey, "status", "umbrella", "crm");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains("silo-umbrella-crm");
    assertThat(status.exitCode()).as(status.toString()).isEqualTo(2);
    assertThat(status.err().lines()).singleElement().asString()
        .contains("this process has no payload key").contains(keyFile.toString());
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void givenAnotherPayloadKeyThanTheWorker_whenAskingForStatus_itSaysSoInOneLine() {
    assertThat(cli("deploy", "hooli", "crm", "--requester", "bob").exitCode()).isZero();
    Map<String, String> otherKey = new HashMap<>(env);
    otherKey.put("SILO_PAYLOAD_KEY", SiloCliTest.randomKey());

    CliRun status = CliRun.of(otherKey, "status", "hooli", "crm");

    assertThat(status.exitCode()).as(status.toString()).isEqualTo(2);
    assertThat(status.err().lines()).singleElement().asString()
        .contains("payload was encrypted with key id").contains("SILO_PAYLOAD_KEY");
  }

  @Test
  void givenNoDeployment_whenAskingForStatus_itExitsWith3() {
    CliRun status = cli("status", "nobody", "here");

    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.err().strip())
        .isEqualTo("no deployment of nobody-here found (workflow silo-nobody-here): start one with"
            + " 'silo deploy nobody here'");
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

  private static String runIdIn(String deployOutput) {
    return deployOutput.lines()
        .filter(line -> line.strip().startsWith("run "))
        .map(line -> line.strip().substring("run ".length()).strip())
        .findFirst()
        .orElseThrow();
  }

  static void registerSearchAttributes(int port) {
    AddSearchAttributesRequest.Builder request = AddSearchAttributesRequest.newBuilder().setNamespace(NAMESPACE);
    for (var key : List.of(SiloSearchAttributes.CLIENT, SiloSearchAttributes.APP, SiloSearchAttributes.STEP,
        SiloSearchAttributes.STATUS)) {
      request.putSearchAttributes(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).validateAndBuildWithDefaults());
    try {
      operator.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS).addSearchAttributes(request.build());
    } finally {
      operator.shutdown();
      operator.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static <T> T activityMock(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  static ConfigActivities configActivities() {
    ConfigActivities config = activityMock(ConfigActivities.class);
    when(config.loadSiloConfig(any())).thenAnswer(call -> siloConfig(call.getArgument(0)));
    return config;
  }

  /** A silo with three Compose services, the six Fly apps and one migration. */
  private static SiloConfig siloConfig(LoadSiloConfigRequest request) {
    SiloNames names = new SiloNames(request.client(), request.app());
    Healthcheck pgReady = new Healthcheck(List.of("CMD", "pg_isready"), Duration.ofSeconds(5), Duration.ofSeconds(5),
        3, Duration.ZERO);
    List<ComposeService> services = List.of(
        service("postgres", "supabase/postgres:15.1.0.147", Map.of(), pgReady),
        service("rest-api", "postgrest/postgrest:v12.0.2", Map.of("postgres", ComposeService.SERVICE_HEALTHY), null),
        service("worker-queue", "ghcr.io/acme/worker:1.4", Map.of("rest-api", "service_started"), null));
    List<FlyAppSpec> flyApps = SiloNames.FLY_SERVICES.stream()
        .map(service -> new FlyAppSpec(service, "fly/" + service + ".toml", names.flyApp(service),
            "registry.fly.io/supabase-" + service + ":1", "cdg", Map.of(),
            new FlyMachineConfig("registry.fly.io/supabase-" + service + ":1", Map.of(),
                new FlyMachineConfig.Guest("shared", 1, 256), List.of(), Map.of(), null), null))
        .toList();
    return new SiloConfig(request.client(), request.app(), "/silos/" + names.siloId(),
        "docker-compose." + names.composeProject() + ".yml", services, flyApps, Map.of("VITE_APP_ENV", "development"),
        List.of(new MigrationFile("20240101000000", "init", "20240101000000_init.sql", "create table t (id int);")));
  }

  private static ComposeService service(String name, String image, Map<String, String> dependsOn,
      Healthcheck healthcheck) {
    return new ComposeService(name, image, null, null, null, null, null, dependsOn, healthcheck, null, null, null,
        null, null);
  }

  static DeskActivities deskActivities() {
    DeskActivities desk = activityMock(DeskActivities.class);
    when(desk.getApplication(any())).thenAnswer(call -> {
      GetApplicationRequest request = call.getArgument(0);
      return new DeskApplication(request.client(), request.app(), "Acme " + request.app(), Map.of());
    });
    when(desk.updateSiloStatus(any())).thenAnswer(call -> new DeskAck("update_silo_status", "key", false));
    when(desk.logSiloEvent(any())).thenAnswer(call -> new DeskAck("log_silo_event", "key", false));
    when(desk.updateApplication(any())).thenAnswer(call -> new DeskAck("applications.update", "key", false));
    return desk;
  }

  static DockerActivities dockerActivities() {
    DockerActivities docker = activityMock(DockerActivities.class);
    when(docker.ensureNetwork(any())).thenAnswer(call -> {
      EnsureNetworkRequest request = call.getArgument(0);
      return new ComposeNetwork(request.project() + "_default", "net-" + request.project(), true);
    });
    when(docker.startContainer(any())).thenAnswer(call -> {
      StartContainerRequest request = call.getArgument(0);
      ComposeService service = request.service();
      ContainerHealth health = service.healthcheck() == null ? ContainerHealth.RUNNING : ContainerHealth.HEALTHY;
      return new ContainerResult(service.name(), request.project() + "-" + service.name() + "-1", health, null,
          true);
    });
    return docker;
  }

  static FlyActivities flyActivities() {
    FlyActivities fly = activityMock(FlyActivities.class);
    when(fly.findApps(any())).thenReturn(new FlyAppsFound(List.of()));
    when(fly.ensureOrganization(any())).thenAnswer(call -> {
      EnsureOrganizationRequest request = call.getArgument(0);
      return new FlyOrganization(request.slug(), "org-" + request.slug(), true);
    });
    when(fly.createApp(any())).thenAnswer(call -> {
      CreateFlyAppRequest request = call.getArgument(0);
      return new FlyApp(request.appName(), request.org(), true);
    });
    when(fly.deployApp(any())).thenAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      return new FlyDeployment(request.appName(), "m-" + request.spec().service(), "started",
          request.appName() + ".fly.dev", Map.of());
    });
    when(fly.submitMachine(any())).thenAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      return new FlyMachine(request.appName(), "m-" + request.spec().service(), "i-1");
    });
    AtomicInteger faultyDeploys = new AtomicInteger();
    when(fly.awaitMachine(any())).thenAnswer(call -> {
      FlyMachine machine = call.getArgument(0);
      // The guided-failure silos' studio fails its health checks: faultyco-crm's once, faultyco-shop's always.
      boolean faulty = machine.appName().equals("devenv-faultyco-shop-studio")
          || machine.appName().equals("devenv-faultyco-crm-studio") && faultyDeploys.getAndIncrement() == 0;
      if (faulty) {
        throw ApplicationFailure.newNonRetryableFailure("machine never passed its health checks", "DEPLOY_FAILED");
      }
      return new FlyDeployment(machine.appName(), machine.machineId(), "started", machine.appName() + ".fly.dev",
          Map.of());
    });
    when(fly.destroyApp(any())).thenAnswer(call -> {
      DestroyFlyAppRequest request = call.getArgument(0);
      return new FlyAppDestroyed(request.appName(), false);
    });
    return fly;
  }

  static DatabaseActivities databaseActivities() {
    DatabaseActivities database = activityMock(DatabaseActivities.class);
    when(database.ensureSecrets(any())).thenReturn(new SiloSecrets("db-password", "jwt-secret-of-32-characters-long"));
    when(database.applyMigrations(any())).thenReturn(new MigrationResult(List.of("20240101000000"), List.of()));
    when(database.mintKeys(any())).thenReturn(new SiloKeys("eyJhbGciOiJIUzI1NiJ9.anon.sig", "service-role-key"));
    when(database.prepareSecrets(any())).thenReturn(new SecretsReady("acme-crm", "0123456789abcdef"));
    when(database.mintSiloKeys(any())).thenReturn(new PublicSiloKeys("eyJhbGciOiJIUzI1NiJ9.anon.sig"));
    return database;
  }

  static GitActivities gitActivities() {
    GitActivities git = activityMock(GitActivities.class);
    when(git.getBranchStatus(any())).thenAnswer(call -> {
      BranchRequest request = call.getArgument(0);
      return new BranchStatus(request.branch(), false, null, request.baseBranch(), COMMIT);
    });
    when(git.pushBranch(any())).thenAnswer(call -> {
      PushBranchRequest request = call.getArgument(0);
      return new BranchResult(request.branch(), COMMIT, null, BranchOutcome.CREATED);
    });
    return git;
  }

  static NetlifyActivities netlifyActivities() {
    NetlifyActivities netlify = activityMock(NetlifyActivities.class);
    when(netlify.describeSite(any())).thenReturn(new NetlifySite("site-1", "acme-web"));
    when(netlify.configureBranchDeploy(any())).thenAnswer(call -> {
      ConfigureBranchDeployRequest request = call.getArgument(0);
      return new NetlifyBranchConfig("site-1", request.branch(), false, previewUrl(request.branch()));
    });
    when(netlify.triggerBuild(any())).thenAnswer(call -> {
      TriggerBuildRequest request = call.getArgument(0);
      return new NetlifyBuild("build-" + request.branch(), "deploy-" + request.branch());
    });
    when(netlify.buildBranch(any())).thenAnswer(call -> {
      BuildBranchRequest request = call.getArgument(0);
      return new BranchBuild("build-" + request.branch(), "deploy-" + request.branch(), "new", true,
          previewUrl(request.branch()));
    });
    when(netlify.awaitDeploy(any())).thenAnswer(call -> {
      AwaitDeployRequest request = call.getArgument(0);
      String branch = request.deployId().substring("deploy-".length());
      return new NetlifyDeploy(request.deployId(), "ready", previewUrl(branch));
    });
    return netlify;
  }

  /** Netlify's branch URL: the branch as a label, then the site's name. */
  private static String previewUrl(String branch) {
    return "https://" + branch.replace('/', '-') + "--acme-web.netlify.app";
  }
}
