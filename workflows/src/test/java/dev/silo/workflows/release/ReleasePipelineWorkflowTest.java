package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static dev.silo.workflows.release.ReleaseFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.EnvironmentMigrateRequest;
import dev.silo.workflows.database.SqlRequest;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockQueue;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promotion's rules on the time-skipping test server, with the systems faked: stage order,
 * pre-flight, approvals, rollback on every trigger, bad versions and the FIFO queue.
 */
@Timeout(60)
class ReleasePipelineWorkflowTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private TestWorkflowEnvironment env;
  private final ReleaseFixture fixture = new ReleaseFixture();

  @BeforeEach
  void start() {
    env = ReleaseFixture.testEnvironment();
    Worker worker = env.newWorker(TASK_QUEUE);
    fixture.register(env, worker);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private WorkflowStub start(String version, String target, boolean automatic, boolean allowBad) {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, version))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, version, target, REQUESTER, automatic, allowBad));
    return WorkflowStub.fromTyped(workflow);
  }

  private WorkflowStub start(String target) {
    return start(VERSION, target, false, false);
  }

  private EnvironmentDeploymentWorkflow deployment(String version, String environment) {
    return env.getWorkflowClient().newWorkflowStub(EnvironmentDeploymentWorkflow.class,
        EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, version), environment));
  }

  private EnvironmentProgress await(String version, String environment, Predicate<EnvironmentProgress> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    EnvironmentProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = deployment(version, environment).progress();
        if (condition.test(last)) {
          return last;
        }
      } catch (RuntimeException notYetStarted) {
        // The child starts once the previous environment has succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(environment + " never reached the expected state; last: " + last);
  }

  private EnvironmentProgress awaitApproval(String version, String environment) {
    return await(version, environment, p -> p.status() == EnvironmentStatus.AWAITING_APPROVAL);
  }

  /** dev waits for @qa-lead, so that a release holds it while later ones queue; no watch window. */
  private void devNeedsApproval() {
    fixture.environments = List.of(
        ReleaseFixture.environment("dev", true, true, List.of("@qa-lead"), 1, Duration.ofHours(1), Duration.ZERO),
        ReleaseFixture.environment("staging", false, false, List.of(), 1, null, Duration.ZERO),
        ReleaseFixture.environment("uat", false, false, List.of(), 1, null, Duration.ZERO),
        ReleaseFixture.environment("prod", false, false, List.of(), 1, null, Duration.ZERO));
  }

  private static ReleaseReport failedReport(WorkflowStub run) {
    WorkflowFailedException failed = catchThrowableOfType(() -> run.getResult(ReleaseReport.class),
        WorkflowFailedException.class);
    assertThat(failed).as("the release should fail").isNotNull();
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(FailureType.RELEASE_FAILED.type());
    return failure.getDetails().get(ReleaseReport.class);
  }

  private void approveProd(String version) {
    awaitApproval(version, "uat");
    deployment(version, "uat").approve(new Decision("@qa-lead", "smoke tests green"));
    awaitApproval(version, "prod");
    deployment(version, "prod").approve(new Decision("@devops-lead", "go"));
    deployment(version, "prod").approve(new Decision("@engineering-manager", "go"));
  }

  @Test
  void givenAGoodVersion_whenPromotedToProd_itShouldDeployEveryEnvironmentInOrderBackingUpBeforeMigrating() {
    WorkflowStub run = start("prod");
    approveProd(VERSION);

    ReleaseReport report = run.getResult(ReleaseReport.class);

    assertThat(report.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(report.commit()).isEqualTo(ReleaseFixture.COMMIT);
    assertThat(report.environments()).extracting(EnvironmentReport::environment, EnvironmentReport::status)
        .containsExactly(tuple("dev", EnvironmentStatus.SUCCEEDED), tuple("staging", EnvironmentStatus.SUCCEEDED),
            tuple("uat", EnvironmentStatus.SUCCEEDED), tuple("prod", EnvironmentStatus.SUCCEEDED));
    assertThat(fixture.callsOf("prod")).startsWith(
        "command ./run-tests", "command ./lint", "backup", "migrate 1", "sql inline",
        "sql functions/submit_expense.sql", "rls employee", "health http://prod.test/health/db");
    assertThat(fixture.callsOf("prod")).doesNotContain("restore");
    EnvironmentReport prod = report.environments().get(3);
    assertThat(prod.backupPath()).isEqualTo("/backups/release-expenses-v1.2.0-prod.dump");
    assertThat(prod.approval().outcome()).isEqualTo(ApprovalVerdict.APPROVED);
    assertThat(prod.approval().approvedBy()).containsExactly("@devops-lead", "@engineering-manager");
    assertThat(prod.steps()).extracting(StepResult::stage).last().isEqualTo(Stage.WATCH);
    assertThat(prod.steps().get(prod.steps().size() - 1).detail()).contains("4 readings over PT2M");
    assertThat(report.environments().get(0).approval().outcome()).isEqualTo(ApprovalVerdict.NOT_REQUIRED);
    assertThat(fixture.notifications).isEmpty();
    assertThat(fixture.ledger).isEmpty();
    SearchAttributes prodAttributes = env.getWorkflowClient().newUntypedWorkflowStub(
        EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), "prod"))
        .describe().getTypedSearchAttributes();
    assertThat(prodAttributes.get(SiloSearchAttributes.RELEASE_PROJECT)).isEqualTo(PROJECT);
    assertThat(prodAttributes.get(SiloSearchAttributes.RELEASE_ENVIRONMENT)).isEqualTo("prod");
    assertThat(prodAttributes.get(SiloSearchAttributes.RELEASE_STATUS)).isEqualTo("SUCCEEDED");
    assertThat(run.describe().getTypedSearchAttributes().get(SiloSearchAttributes.RELEASE_STATUS))
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void givenAReleasePreparedByHash_whenDeployedToDev_itShouldSendTheDatabaseActivitiesTheCommitAndHashesNotContent() {
    fixture.filesByHash = true;
    WorkflowStub run = start("dev");

    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(fixture.databaseRequests).filteredOn(EnvironmentMigrateRequest.class::isInstance).singleElement()
        .isEqualTo(new EnvironmentMigrateRequest(fixture.environments.get(0).database(),
            fixture.prepared().migrations().get("migrations"), PROJECT, ReleaseFixture.COMMIT, "migrations"));
    assertThat(fixture.databaseRequests).filteredOn(SqlRequest.class::isInstance).map(SqlRequest.class::cast)
        .filteredOn(request -> request.file() != null).singleElement()
        .satisfies(request -> {
          assertThat(request.sql()).isNull();
          assertThat(request.project()).isEqualTo(PROJECT);
          assertThat(request.commit()).isEqualTo(ReleaseFixture.COMMIT);
          assertThat(request.file()).isEqualTo(fixture.prepared().sqlFileHashes().get("functions/submit_expense.sql"));
        });
    assertThat(fixture.prepared().migrations().get("migrations")).extracting(MigrationFile::sql).containsOnlyNulls();
  }

  @Test
  void givenABlockingPreFlightFailure_whenStagingChecks_itShouldStopThereChangingNothingAndNotRunLaterEnvironments() {
    fixture.failingCommands.add("./run-tests");
    WorkflowStub run = start("prod");

    ReleaseReport report = failedReport(run);

    assertThat(report.status()).isEqualTo(ReleaseStatus.STOPPED);
    assertThat(report.environments()).extracting(EnvironmentReport::status).containsExactly(EnvironmentStatus.FAILED);
    assertThat(report.notRun()).containsExactly("staging", "uat", "prod");
    assertThat(report.reason()).contains("pre-flight check 'Tests pass' failed: exit 1; output: 3 tests failed");
    assertThat(fixture.callsOf("dev")).containsExactly("command ./run-tests", "command ./lint");
    assertThat(fixture.notifications).isEmpty();
  }

  @Test
  void givenAnApprovalTimeoutLongerThanAnyTimer_whenPromoted_itShouldStopAtThatEnvironmentBeforeAnyStep() {
    fixture.environments = List.of(
        ReleaseFixture.environment("dev", true, true, List.of("@qa-lead"), 1, Duration.ofDays(99_999_999),
            Duration.ZERO),
        ReleaseFixture.environment("staging", false, false, List.of(), 1, null, Duration.ZERO),
        ReleaseFixture.environment("uat", false, false, List.of(), 1, null, Duration.ZERO),
        ReleaseFixture.environment("prod", false, false, List.of(), 1, null, Duration.ZERO));
    WorkflowStub run = start("prod");

    ReleaseReport report = failedReport(run);

    assertThat(report.environments()).extracting(EnvironmentReport::environment, EnvironmentReport::status)
        .containsExactly(tuple("dev", EnvironmentStatus.FAILED));
    assertThat(report.notRun()).containsExactly("staging", "uat", "prod");
    assertThat(report.environments().get(0).reason()).contains("invalid release definition: approval_timeout of"
        + " environment dev is 2399999976h, out of range: it must be from 1m to 720h");
    assertThat(fixture.callsOf("dev")).isEmpty();
  }

  @Test
  void givenADefinitionWithDurationsOutOfRange_whenAClientStartsTheDeploymentItself_itShouldRefuseItAsInvalidRequest() {
    fixture.pipeline = new ReleasePipeline(PROJECT, List.of(), List.of(), List.of(), List.of(),
        List.of(new PipelineStep.Endpoint("Database connectivity", Duration.ofHours(48), false, "/health/db",
            200)),
        new RollbackPlan(List.of(RollbackTrigger.p99LatencyAbove(Duration.ofHours(2))), List.of()));
    fixture.environments = List.of(new EnvironmentDefinition("dev", true, false, List.of(), 1, null, null,
        "http://dev.test", null, new WatchWindow(Duration.ofHours(24), Duration.ofSeconds(1),
            WatchWindow.DEFAULT_ERROR_RATE_QUERY, WatchWindow.DEFAULT_P99_QUERY), null, null));
    EnvironmentDeploymentWorkflow deployment = env.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION),
                "dev"))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(deployment::deploy,
        new EnvironmentDeploymentRequest(PROJECT, VERSION, "dev", REQUESTER, false, fixture.prepared()));

    WorkflowFailedException failed = catchThrowableOfType(
        () -> WorkflowStub.fromTyped(deployment).getResult(20, TimeUnit.SECONDS,
            EnvironmentReport.class), WorkflowFailedException.class);

    assertThat(failed).as("the deployment should have closed as failed").isNotNull();
    assertThat(failed.getCause()).isInstanceOfSatisfying(ApplicationFailure.class, refusal -> {
      assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
      assertThat(refusal.getOriginalMessage()).isEqualTo("invalid release definition: watch_window 24h read every 1s"
          + " of environment dev takes 86400 readings, at most 2000 are allowed: lengthen watch_interval or shorten"
          + " watch_window; timeout of step 'Database connectivity' in health_checks is 48h, out of range: it must be"
          + " from 1s to 24h; above of trigger p99_latency is 2h, out of range: it must be from 1ms to 1h");
    });
    assertThat(fixture.callsOf("dev")).isEmpty();
  }

  @Test
  void givenANonBlockingPreFlightFailure_whenDeploying_itShouldWarnAndGoOn() {
    fixture.failingCommands.add("./lint");
    WorkflowStub run = start("dev");

    ReleaseReport report = run.getResult(ReleaseReport.class);

    assertThat(report.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(report.environments().get(0).steps()).filteredOn(step -> step.name().equals("Lint is clean"))
        .extracting(StepResult::outcome).containsExactly(StepOutcome.WARNED);
  }

  @Test
  void givenProdNeedsTwoApprovers_whenTheRequesterAndStrangersApprove_itShouldIgnoreThemAndWaitForTwoNamedOnes() {
    WorkflowStub run = start("prod");
    awaitApproval(VERSION, "uat");
    deployment(VERSION, "uat").approve(new Decision("@qa-lead", "ok"));
    EnvironmentDeploymentWorkflow prod = deployment(VERSION, "prod");
    EnvironmentProgress waiting = awaitApproval(VERSION, "prod");
    assertThat(waiting.approval().approvers()).containsExactly("@devops-lead", "@engineering-manager");
    assertThat(waiting.approval().required()).isEqualTo(2);

    prod.approve(new Decision(REQUESTER, "I wrote it, it is fine"));
    prod.approve(new Decision("@intern", "lgtm"));
    prod.approve(new Decision("@devops-lead", "go"));
    prod.approve(new Decision("devops-lead", "go again"));
    EnvironmentProgress halfway = await(VERSION, "prod", p -> p.decisions().size() == 4);
    assertThat(halfway.status()).isEqualTo(EnvironmentStatus.AWAITING_APPROVAL);
    assertThat(halfway.approval().approvedBy()).containsExactly("@devops-lead");
    assertThat(halfway.decisions()).extracting(DecisionRecord::actor, DecisionRecord::accepted).containsExactly(
        tuple(REQUESTER, false), tuple("@intern", false), tuple("@devops-lead", true), tuple("devops-lead", false));
    assertThat(halfway.decisions().get(0).note()).contains("requested this release and cannot approve it");
    assertThat(halfway.decisions().get(1).note()).contains("not a named approver");
    assertThat(fixture.callsOf("prod")).doesNotContain("backup");

    prod.approve(new Decision("@engineering-manager", "go"));
    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
  }

  @Test
  void givenAnApprovalGate_whenNobodyApprovesInTime_itShouldEndTimedOutChangingNothing() {
    WorkflowStub run = start("uat");
    awaitApproval(VERSION, "uat");

    ReleaseReport report = failedReport(run);

    EnvironmentReport uat = report.environments().get(2);
    assertThat(uat.status()).isEqualTo(EnvironmentStatus.APPROVAL_TIMED_OUT);
    assertThat(uat.approval().outcome()).isEqualTo(ApprovalVerdict.TIMED_OUT);
    assertThat(uat.reason()).isEqualTo("not approved within PT72H: 0 of 1 approval(s) received");
    assertThat(fixture.callsOf("uat")).doesNotContain("backup").noneMatch(call -> call.startsWith("migrate"));
  }

  @Test
  void givenAnApprovalGate_whenAnApproverRejects_itShouldEndRejected() {
    WorkflowStub run = start("uat");
    awaitApproval(VERSION, "uat");
    deployment(VERSION, "uat").reject(new Decision("@qa-lead", "release notes missing"));

    ReleaseReport report = failedReport(run);

    assertThat(report.environments().get(2).status()).isEqualTo(EnvironmentStatus.REJECTED);
    assertThat(report.reason()).contains("rejected by @qa-lead (release notes missing)");
  }

  @Test
  void givenAPolicyThatLeaksRowsToEmployees_whenTheRlsStageRuns_itShouldRollBackNotifyOpenAnIncidentAndMarkTheVersionBad() {
    fixture.leakyRls.add("staging");
    WorkflowStub run = start("prod");

    ReleaseReport report = failedReport(run);

    EnvironmentReport staging = report.environments().get(1);
    assertThat(staging.status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(staging.reason()).isEqualTo("rls_deploy step 'Test with employee role' failed: employee saw 4 rows,"
        + " expected 2");
    assertThat(staging.rollback()).extracting(StepResult::name, StepResult::outcome).containsExactly(
        tuple("Restore from backup", StepOutcome.PASSED), tuple("Notify on-call", StepOutcome.PASSED),
        tuple("Create incident", StepOutcome.PASSED));
    assertThat(fixture.callsOf("staging")).contains("restore /backups/release-expenses-v1.2.0-staging.dump");
    assertThat(fixture.notifications).singleElement().satisfies(message -> {
      assertThat(message.webhookEnvVar()).isEqualTo("SLACK_URL");
      assertThat(message.text()).isEqualTo("Rollback triggered: " + staging.reason());
    });
    assertThat(fixture.incidents).singleElement().satisfies(incident -> {
      assertThat(incident.webhookEnvVar()).isEqualTo("INCIDENT_URL");
      assertThat(incident.title()).contains("Rollback of expenses v1.2.0 in staging");
      assertThat(incident.idempotencyKey()).startsWith("release-expenses-v1.2.0-staging/");
    });
    assertThat(staging.badVersion().bad()).isTrue();
    assertThat(staging.badVersion().environment()).isEqualTo("staging");
    assertThat(report.notRun()).containsExactly("uat", "prod");
  }

  @Test
  void givenAHealthCheckFailingAfterTheDeploy_whenChecked_itShouldRollBack() {
    fixture.unhealthy.add("dev");

    ReleaseReport report = failedReport(start("dev"));

    assertThat(report.environments().get(0).status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(report.reason()).contains("health check 'Database connectivity' failed: GET http://dev.test/health/db"
        + " answered 503 on attempt 3");
    assertThat(fixture.callsOf("dev")).contains("restore /backups/release-expenses-v1.2.0-dev.dump");
  }

  @Test
  void givenTheHealthFailsDuringTheWatchWindow_whenWatched_itShouldRollBack() {
    fixture.unhealthyWhileWatched.add("dev");

    ReleaseReport report = failedReport(start("dev"));

    assertThat(report.environments().get(0).status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(report.environments().get(0).reason())
        .startsWith("health check 'Database connectivity' failed during the watch window");
  }

  @Test
  void givenTheErrorRateSpikes_whenWatched_itShouldRollBack() {
    fixture.metrics.put("dev", new MetricsSample(2.5, 150.0));

    ReleaseReport report = failedReport(start("dev"));

    assertThat(report.environments().get(0).status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(report.environments().get(0).reason()).isEqualTo("error rate 2.5% above 1%");
    assertThat(fixture.notifications.get(0).text()).isEqualTo("Rollback triggered: error rate 2.5% above 1%");
  }

  @Test
  void givenTheP99LatencySpikes_whenWatched_itShouldRollBackAndRestoreTheBackup() {
    fixture.metrics.put("dev", new MetricsSample(0.2, 6200.0));

    ReleaseReport report = failedReport(start("dev"));

    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(dev.reason()).isEqualTo("p99 latency 6200 ms above 5000 ms");
    assertThat(dev.steps()).extracting(StepResult::stage, StepResult::outcome)
        .last().isEqualTo(tuple(Stage.WATCH, StepOutcome.FAILED));
    assertThat(fixture.callsOf("dev")).endsWith("restore /backups/release-expenses-v1.2.0-dev.dump");
  }

  @Test
  void givenAVersionRolledBack_whenDeployedAgain_itShouldBeSkippedByAutomationsAndRefusedToPeopleWhoDoNotInsist() {
    fixture.metrics.put("dev", new MetricsSample(0.2, 6200.0));
    failedReport(start("dev"));
    fixture.metrics.clear();
    int callsAfterRollback = fixture.calls.size();

    ReleaseReport skipped = start(VERSION, "prod", true, false).getResult(ReleaseReport.class);
    assertThat(skipped.status()).isEqualTo(ReleaseStatus.SKIPPED);
    assertThat(skipped.reason()).contains("was rolled back in dev (p99 latency 6200 ms above 5000 ms)");
    assertThat(skipped.notRun()).containsExactly("dev", "staging", "uat", "prod");

    ReleaseReport refused = failedReport(start("dev"));
    assertThat(refused.status()).isEqualTo(ReleaseStatus.INVALID);
    assertThat(refused.reason()).contains("--allow-bad-version");
    assertThat(fixture.calls.subList(callsAfterRollback, fixture.calls.size()))
        .containsOnly("release:prepare " + VERSION);
  }

  @Test
  void givenAnAutomation_whenItDeploysAGoodVersion_itShouldStopAtTheFirstEnvironmentWithoutAutoDeploy() {
    ReleaseReport report = start(VERSION, "prod", true, false).getResult(ReleaseReport.class);

    assertThat(report.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(report.environments()).extracting(EnvironmentReport::environment).containsExactly("dev");
    assertThat(report.notRun()).containsExactly("staging", "uat", "prod");
  }

  @Test
  void givenAVersionMarkedBad_whenAPersonDeploysItDeliberately_itShouldRunAndSayWhy() {
    fixture.ledger.put(PROJECT + "@" + VERSION, new BadVersion(PROJECT, VERSION, true, "prod", "p99", "wf", "t"));

    ReleaseReport report = start(VERSION, "dev", false, true).getResult(ReleaseReport.class);

    assertThat(report.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
  }

  @Test
  void givenThreeReleasesOfOneProject_whenTheyReachTheSameEnvironment_itShouldRunThemOneAtATimeInArrivalOrder() {
    devNeedsApproval();
    WorkflowStub first = start("v1", "dev", false, false);
    awaitApproval("v1", "dev");
    WorkflowStub second = start("v2", "dev", false, false);
    await("v2", "dev", p -> p.status() == EnvironmentStatus.WAITING_FOR_LOCK);
    WorkflowStub third = start("v3", "dev", false, false);
    EnvironmentProgress thirdWaits = await("v3", "dev", p -> p.status() == EnvironmentStatus.WAITING_FOR_LOCK);

    EnvironmentLockWorkflow lock = env.getWorkflowClient().newWorkflowStub(EnvironmentLockWorkflow.class,
        thirdWaits.waitingOn());
    LockQueue queue = lock.queue();
    assertThat(queue.holder().version()).isEqualTo("v1");
    assertThat(queue.waiting()).extracting(request -> request.version()).containsExactly("v2", "v3");
    assertThat(fixture.callsOf("dev")).filteredOn(call -> call.equals("command ./run-tests")).hasSize(1);

    deployment("v1", "dev").approve(new Decision("@qa-lead", "ok"));
    assertThat(first.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    awaitApproval("v2", "dev");
    assertThat(deployment("v3", "dev").progress().status()).isEqualTo(EnvironmentStatus.WAITING_FOR_LOCK);
    assertThat(lock.queue().holder().version()).isEqualTo("v2");

    deployment("v2", "dev").approve(new Decision("@qa-lead", "ok"));
    assertThat(second.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    awaitApproval("v3", "dev");
    deployment("v3", "dev").approve(new Decision("@qa-lead", "ok"));
    assertThat(third.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(lock.queue().holder()).isNull();
    assertThat(lock.queue().waiting()).isEmpty();
  }

  @Test
  void givenAQueuedReleaseThatWasTerminated_whenItsTurnComes_itShouldBeSkippedForTheNextInLine() {
    devNeedsApproval();
    WorkflowStub first = start("v1", "dev", false, false);
    awaitApproval("v1", "dev");
    WorkflowStub second = start("v2", "dev", false, false);
    await("v2", "dev", p -> p.status() == EnvironmentStatus.WAITING_FOR_LOCK);
    WorkflowStub third = start("v3", "dev", false, false);
    await("v3", "dev", p -> p.status() == EnvironmentStatus.WAITING_FOR_LOCK);
    second.terminate("abandoned");
    env.getWorkflowClient().newUntypedWorkflowStub(EnvironmentDeploymentWorkflow.workflowId(
        ReleasePipelineWorkflow.workflowId(PROJECT, "v2"), "dev")).terminate("abandoned");

    deployment("v1", "dev").approve(new Decision("@qa-lead", "ok"));
    first.getResult(ReleaseReport.class);

    awaitApproval("v3", "dev");
    deployment("v3", "dev").approve(new Decision("@qa-lead", "ok"));
    assertThat(third.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
  }

  @Test
  void givenAReleaseWaitingForApproval_whenCancelled_itShouldChangeNothingAndHandTheEnvironmentToTheNextInLine() {
    devNeedsApproval();
    WorkflowStub first = start("v1", "dev", false, false);
    awaitApproval("v1", "dev");
    WorkflowStub second = start("v2", "dev", false, false);
    await("v2", "dev", p -> p.status() == EnvironmentStatus.WAITING_FOR_LOCK);

    first.cancel();

    awaitApproval("v2", "dev");
    assertThat(fixture.callsOf("dev")).doesNotContain("backup", "restore /backups/release-expenses-v1-dev.dump");
    deployment("v2", "dev").approve(new Decision("@qa-lead", "ok"));
    assertThat(second.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);
  }

  @Test
  void givenADeployedVersionBeingWatched_whenCancelled_itShouldRollBack() {
    WorkflowStub run = start("dev");
    await(VERSION, "dev", p -> p.status() == EnvironmentStatus.WATCHING);

    run.cancel();

    EnvironmentProgress cancelled = await(VERSION, "dev", p -> p.report() != null);
    assertThat(cancelled.report().status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(cancelled.report().reason()).isEqualTo("cancelled by an operator during watch");
    assertThat(fixture.callsOf("dev")).contains("restore /backups/release-expenses-v1.2.0-dev.dump");
    assertThat(fixture.incidents).hasSize(1);
  }

  @Test
  void givenABadRequest_whenStarted_itShouldFailWithEveryProblemAndRunNothing() {
    WorkflowFailedException failed = catchThrowableOfType(
        () -> start("v1", "qa", false, false).getResult(ReleaseReport.class), WorkflowFailedException.class);

    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.getOriginalMessage()).contains("environment 'qa' is not one of dev, staging, uat, prod");
    assertThat(fixture.calls).isEmpty();
  }
}
