package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static dev.silo.workflows.release.ReleaseFixture.UNREADABLE;
import static dev.silo.workflows.release.ReleaseFixture.VERSION;
import static dev.silo.workflows.release.ReleaseFixture.command;
import static dev.silo.workflows.release.ReleaseFixture.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.notify.NotifyRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment-orchestrator runbook as written, on the time-skipping test server: environments
 * without a database or base URL, the variables its commands use ({@code $SUPABASE_PROJECT}, {@code
 * $PREVIOUS_VERSION}, {@code $PREVIOUS_DATE}), the worker's secrets checked in pre-flight, and
 * rollback triggers with failure and inconclusive limits, and the messages that tell people the
 * approval gate or an undecided watch window waits for them.
 */
@Timeout(60)
class EnvironmentRunbookTest {

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

  private WorkflowStub start(String target) {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, VERSION, target, REQUESTER, false, false));
    return WorkflowStub.fromTyped(workflow);
  }

  private EnvironmentDeploymentWorkflow deployment(String environment) {
    return env.getWorkflowClient().newWorkflowStub(EnvironmentDeploymentWorkflow.class,
        EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), environment));
  }

  private EnvironmentProgress await(String environment, Predicate<EnvironmentProgress> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    EnvironmentProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = deployment(environment).progress();
        if (condition.test(last)) {
          return last;
        }
      } catch (RuntimeException notYetStarted) {
        // The child starts once the release has prepared the version.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(environment + " never reached the expected state; last: " + last);
  }

  /** Ordered by idempotency key: a question's {@code answered} before its {@code asked}. */
  private static List<NotifyRequest> sortedByKey(List<NotifyRequest> sent) {
    return sent.stream().sorted(Comparator.comparing(NotifyRequest::idempotencyKey)).toList();
  }

  private static ReleaseReport failedReport(WorkflowStub run) {
    WorkflowFailedException failed = catchThrowableOfType(() -> run.getResult(ReleaseReport.class),
        WorkflowFailedException.class);
    assertThat(failed).as("the release should fail").isNotNull();
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(FailureType.RELEASE_FAILED.type());
    return failure.getDetails().get(ReleaseReport.class);
  }

  /** dev as the runbook writes it: a Supabase project and an Odoo URL, no database, no base URL. */
  private static EnvironmentDefinition runbookDev(Duration watch) {
    return new EnvironmentDefinition("dev", true, false, List.of(), 1, null, null, null,
        "http://metrics.dev.test", new WatchWindow(watch, Duration.ofSeconds(30),
            WatchWindow.DEFAULT_ERROR_RATE_QUERY, WatchWindow.DEFAULT_P99_QUERY),
        "ipai-dev", "https://erp-dev.insightpulseai.net");
  }

  /** The runbook's stages, shortened: every step a command, rollback by the commands it names. */
  private static ReleasePipeline runbookPipeline(List<PipelineStep> healthChecks, List<RollbackTrigger> triggers) {
    return new ReleasePipeline(PROJECT,
        List.of(command("Check migrations can apply", "supabase db diff --linked", true)),
        List.of(command("Backup current database", "supabase db dump --file backup-$(date +%Y%m%d).sql", false),
            command("Apply migrations", "supabase db push", false)),
        List.of(command("Deploy stored procedures", "psql -f migrations/functions.sql", false)),
        List.of(),
        healthChecks,
        new RollbackPlan(triggers, List.of(
            command("Revert migrations", "supabase db reset --version $PREVIOUS_VERSION", false),
            command("Restore from backup", "psql < backup-$PREVIOUS_DATE.sql", false),
            command("Notify on-call", "./scripts/notify-oncall.sh \"Rollback triggered: $REASON\"", false))));
  }

  private void useDev(EnvironmentDefinition dev) {
    fixture.environments = List.of(dev, fixture.environments.get(1), fixture.environments.get(2),
        fixture.environments.get(3));
  }

  private static StepResult step(EnvironmentReport report, String name) {
    return report.steps().stream().filter(step -> step.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + name + " in " + report.steps()));
  }

  // Item 6: the runbook's environments.

  @Test
  void givenTheRunbooksSupabaseCommands_whenReadinessIsChecked_itShouldSayTheEnvironmentGivesNoLinkedProjectOrToken() {
    useDev(runbookDev(Duration.ZERO));
    fixture.pipeline = runbookPipeline(List.of(), List.of(RollbackTrigger.healthCheckFailure()));

    EnvironmentReport dev = start("dev").getResult(ReleaseReport.class).environments().get(0);

    assertThat(step(dev, "Environment readiness").outcome()).isEqualTo(StepOutcome.WARNED);
    assertThat(step(dev, "Environment readiness").detail()).contains(
        "pre_flight step 'Check migrations can apply', schema_deploy step 'Backup current database', schema_deploy"
            + " step 'Apply migrations', rollback step 'Revert migrations' run the supabase CLI",
        "need a linked project and an access token (db lint and db reset act on a local development database"
            + " unless given --linked)",
        "'supabase link --project-ref $SUPABASE_PROJECT'",
        "SUPABASE_ACCESS_TOKEN and SUPABASE_DB_PASSWORD are not set");
  }

  @Test
  void givenARunbookEnvironment_whenItsCommandsRun_itShouldExportItsSupabaseProjectAndOdooUrlAndSaySkipTheBuiltInBackup() {
    useDev(runbookDev(Duration.ZERO));
    fixture.pipeline = runbookPipeline(List.of(), List.of(RollbackTrigger.healthCheckFailure()));

    ReleaseReport report = start("dev").getResult(ReleaseReport.class);

    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.SUCCEEDED);
    assertThat(fixture.exportedCommands).isNotEmpty().allSatisfy(command -> assertThat(command)
        .contains("SUPABASE_PROJECT='ipai-dev'", "ODOO_URL='https://erp-dev.insightpulseai.net'")
        .doesNotContain("PGHOST"));
    assertThat(step(dev, "Environment readiness").outcome()).isEqualTo(StepOutcome.WARNED);
    assertThat(step(dev, "Environment readiness").detail()).contains(
        "no database is configured, so the built-in backup before changes is skipped",
        "function_deploy step 'Deploy stored procedures' runs a PostgreSQL client but no database is configured");
    assertThat(dev.steps()).extracting(StepResult::stage, StepResult::kind, StepResult::outcome)
        .contains(tuple(Stage.SCHEMA_DEPLOY, "backup", StepOutcome.SKIPPED));
    assertThat(fixture.callsOf("dev")).noneMatch(call -> call.startsWith("backup"));
  }

  @Test
  void givenARunbookEnvironmentWithoutABaseUrl_whenItsHealthChecksArePaths_itShouldStopInPreFlightSayingWhatItLacks() {
    useDev(runbookDev(Duration.ZERO));
    fixture.pipeline = runbookPipeline(List.of(endpoint("Database connectivity", "/health/db")),
        List.of(RollbackTrigger.healthCheckFailure()));

    ReleaseReport report = failedReport(start("dev"));

    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.FAILED);
    assertThat(dev.reason()).contains("dev lacks what the pipeline needs: no base_url is configured, so"
        + " health_checks step 'Database connectivity' cannot resolve /health/db");
    assertThat(fixture.callsOf("dev")).noneMatch(call -> call.startsWith("command"));
  }

  // Item 7: $PREVIOUS_VERSION and $PREVIOUS_DATE.

  @Test
  void givenAVersionDeployedBefore_whenTheNextOneRollsBack_itShouldGiveTheRollbackThePreviousVersionAndDate() {
    useDev(runbookDev(Duration.ofMinutes(1)));
    fixture.pipeline = runbookPipeline(List.of(), List.of(RollbackTrigger.errorRateAbove(1)));
    fixture.deployments.put("dev", List.of(new PreviousDeployment(true, "v1.1.0", "abc123",
        "release-expenses-v1.1.0-dev", "2026-11-30T22:15:00Z")));
    fixture.metrics.put("dev", new MetricsSample(4.0, 100.0));

    ReleaseReport report = failedReport(start("dev"));

    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(dev.rollback()).extracting(StepResult::name, StepResult::outcome).containsExactly(
        tuple("Revert migrations", StepOutcome.PASSED), tuple("Restore from backup", StepOutcome.PASSED),
        tuple("Notify on-call", StepOutcome.PASSED));
    assertThat(fixture.exportedCommands).filteredOn(command -> command.endsWith("$PREVIOUS_VERSION"))
        .singleElement().asString().contains("PREVIOUS_VERSION='v1.1.0'", "PREVIOUS_DATE='20261130'",
            "PREVIOUS_COMMIT='abc123'", "PREVIOUS_DEPLOYED_AT='2026-11-30T22:15:00Z'");
    assertThat(step(dev, "Previous version").detail()).startsWith("PREVIOUS_VERSION=v1.1.0, PREVIOUS_DATE=20261130");
  }

  @Test
  void givenNoVersionDeployedBefore_whenRolledBack_itShouldSkipTheCommandsThatNeedOneAndRunTheOthers() {
    useDev(runbookDev(Duration.ofMinutes(1)));
    fixture.pipeline = runbookPipeline(List.of(), List.of(RollbackTrigger.errorRateAbove(1)));
    fixture.metrics.put("dev", new MetricsSample(4.0, 100.0));

    ReleaseReport report = failedReport(start("dev"));

    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.rollback()).extracting(StepResult::name, StepResult::outcome).containsExactly(
        tuple("Revert migrations", StepOutcome.SKIPPED), tuple("Restore from backup", StepOutcome.SKIPPED),
        tuple("Notify on-call", StepOutcome.PASSED));
    assertThat(dev.rollback().get(0).detail())
        .startsWith("no version was deployed to dev before this one");
    assertThat(fixture.callsOf("dev")).noneMatch(call -> call.contains("PREVIOUS_"));
  }

  @Test
  void givenASuccessfulDeployment_whenItEnds_itShouldBeRecordedAsThePreviousVersionOfTheNextOne() {
    fixture.environments = ReleaseFixture.environments(Duration.ZERO);

    start("dev").getResult(ReleaseReport.class);

    assertThat(fixture.deployments.get("dev")).extracting(PreviousDeployment::version, PreviousDeployment::workflowId)
        .containsExactly(tuple(VERSION, "release-expenses-v1.2.0-dev"));
  }

  // Item 8: the worker's secrets, in pre-flight.

  @Test
  void givenTheWorkerLacksThePasswordAndWebhookVariables_whenDeployed_itShouldNameThemAllInPreFlightAndChangeNothing() {
    fixture.workerVariables.removeAll(List.of("EXPENSES_DEV_DB_PASSWORD", "SLACK_URL", "INCIDENT_URL"));

    ReleaseReport report = failedReport(start("dev"));

    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.FAILED);
    assertThat(dev.reason()).contains("not set on the worker: EXPENSES_DEV_DB_PASSWORD (password_env of environment"
        + " dev), SLACK_URL (webhook_env of rollback step 'Notify on-call'), INCIDENT_URL (webhook_env of rollback"
        + " step 'Create incident')");
    assertThat(fixture.callsOf("dev")).isEmpty();
    assertThat(fixture.notifications).isEmpty();
    assertThat(dev.rollback()).isEmpty();
  }

  // Item 9: failure and inconclusive limits.

  @Test
  void givenAFailureLimitOfTwo_whenTheReadingsAreBadGoodBad_itShouldNotFire() {
    fixture.pipeline = pipelineWithTriggers(List.of(RollbackTrigger.errorRateAbove(1).withLimits(2, null)));
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(
        new MetricsSample(3.0, 100.0), new MetricsSample(0.2, 100.0), new MetricsSample(3.0, 100.0))));

    ReleaseReport report = start("dev").getResult(ReleaseReport.class);

    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.SUCCEEDED);
    assertThat(dev.steps().get(dev.steps().size() - 1).detail()).startsWith("4 readings over PT2M");
  }

  @Test
  void givenAFailureLimitOfTwo_whenTwoReadingsInARowAreBad_itShouldFire() {
    fixture.pipeline = pipelineWithTriggers(List.of(RollbackTrigger.errorRateAbove(1).withLimits(2, null)));
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(
        new MetricsSample(0.2, 100.0), new MetricsSample(3.0, 100.0), new MetricsSample(2.5, 100.0))));

    ReleaseReport report = failedReport(start("dev"));

    assertThat(report.environments().get(0).reason())
        .isEqualTo("error rate 2.5% above 1% (2 consecutive bad readings of error_rate > 1%)");
  }

  @Test
  void givenAnUnreadableMetricsSource_whenWatched_itShouldWaitForAPersonAndRollBackWhenTheyRejectIt() {
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(UNREADABLE)));
    WorkflowStub run = start("dev");

    EnvironmentProgress waiting = await("dev", p -> p.status() == EnvironmentStatus.AWAITING_DECISION);
    assertThat(waiting.decision().reason()).startsWith("1 inconclusive reading(s) of error_rate > 1% (limit 1)");
    assertThat(waiting.decision().readings()).extracting(WatchReading::trigger, WatchReading::outcome)
        .containsExactly(tuple("health_check_failure", ReadingOutcome.GOOD),
            tuple("error_rate > 1%", ReadingOutcome.INCONCLUSIVE));
    deployment("dev").reject(new Decision("@oncall", "metrics are down, play safe"));

    ReleaseReport report = failedReport(run);
    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(dev.reason()).startsWith("rolled back by @oncall (metrics are down, play safe) after 1 inconclusive"
        + " reading(s) of error_rate > 1%");
    assertThat(fixture.callsOf("dev")).contains("restore /backups/release-expenses-v1.2.0-dev.dump");
    assertThat(dev.decisions()).extracting(DecisionRecord::signal, DecisionRecord::actor, DecisionRecord::accepted)
        .containsExactly(tuple("reject", "@oncall", true));
  }

  @Test
  void givenAnUnreadableMetricsSource_whenAPersonAcceptsTheVersion_itShouldSucceed() {
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(UNREADABLE)));
    WorkflowStub run = start("dev");

    await("dev", p -> p.status() == EnvironmentStatus.AWAITING_DECISION);
    deployment("dev").approve(new Decision("@oncall", "Grafana shows it healthy"));

    ReleaseReport report = run.getResult(ReleaseReport.class);
    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.SUCCEEDED);
    assertThat(dev.steps().get(dev.steps().size() - 1).detail()).startsWith(
        "accepted by @oncall (Grafana shows it healthy) after 1 inconclusive reading(s) of error_rate > 1%");
    assertThat(fixture.callsOf("dev")).noneMatch(call -> call.startsWith("restore"));
  }

  @Test
  void givenAnUnreadableMetricsSource_whenTheRequesterAcceptsTheirOwnVersion_itShouldIgnoreItAsTheGateDoes() {
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(UNREADABLE)));
    WorkflowStub run = start("dev");

    await("dev", p -> p.status() == EnvironmentStatus.AWAITING_DECISION);
    deployment("dev").approve(new Decision("release-bot", "my version is fine"));
    deployment("dev").approve(new Decision("@oncall", "Grafana shows it healthy"));

    EnvironmentReport dev = run.getResult(ReleaseReport.class).environments().get(0);
    assertThat(dev.decisions())
        .extracting(DecisionRecord::actor, DecisionRecord::accepted, DecisionRecord::note)
        .containsExactly(
            tuple("release-bot", false, "ignored: release-bot requested this release and cannot approve it"),
            tuple("@oncall", true, "the version is accepted despite the inconclusive readings"));
    assertThat(dev.steps().get(dev.steps().size() - 1).detail()).startsWith("accepted by @oncall");
  }

  @Test
  void givenAnInconclusiveLimitLongerThanTheWindow_whenNoReadingIsConclusive_itShouldWaitForAPersonInsteadOfPassing() {
    fixture.environments = ReleaseFixture.environments(Duration.ofMinutes(1));
    fixture.pipeline = pipelineWithTriggers(List.of(RollbackTrigger.errorRateAbove(1).withLimits(null, 3)));
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(UNREADABLE, UNREADABLE)));
    WorkflowStub run = start("dev");

    EnvironmentProgress waiting = await("dev", p -> p.status() == EnvironmentStatus.AWAITING_DECISION);
    assertThat(waiting.decision().reason()).startsWith(
        "the window ended on an inconclusive reading of error_rate > 1% (2 inconclusive in the window, limit 3)");
    deployment("dev").reject(new Decision("@oncall", "no metrics, no release"));

    EnvironmentReport dev = failedReport(run).environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(dev.reason()).startsWith("rolled back by @oncall (no metrics, no release) after the window ended");
  }

  @Test
  void givenAnUnreadableMetricsSource_whenNobodyDecides_itShouldRollBackAtTheDeadline() {
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(UNREADABLE)));

    ReleaseReport report = failedReport(start("dev"));

    assertThat(report.environments().get(0).status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(report.environments().get(0).reason()).startsWith(
        "nobody accepted or rolled back the version within PT24H after 1 inconclusive reading(s)");
  }

  private static ReleasePipeline pipelineWithTriggers(List<RollbackTrigger> triggers) {
    ReleasePipeline example = ReleaseFixture.pipeline();
    return new ReleasePipeline(example.project(), example.preFlight(), example.schemaDeploy(),
        example.functionDeploy(), example.rlsDeploy(), example.healthChecks(),
        new RollbackPlan(triggers, example.rollback().steps()));
  }

  // Item 6 of issue 16: people told when they are needed.

  @Test
  void givenUatNeedsApproval_whenItsApproverApproves_itShouldTellTheQuestionWhoMayAnswerHowAndWhoApproved() {
    WorkflowStub run = start("uat");
    await("uat", p -> p.status() == EnvironmentStatus.AWAITING_APPROVAL);
    deployment("uat").approve(new Decision("@qa-lead", "smoke tests green"));

    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);

    String uat = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), "uat");
    List<NotifyRequest> sent = sortedByKey(fixture.waitNotices);
    assertThat(sent).extracting(NotifyRequest::idempotencyKey)
        .allMatch(key -> key.startsWith(uat + "/"))
        .anyMatch(key -> key.endsWith("/approval/asked"))
        .anyMatch(key -> key.endsWith("/approval/answered"))
        .hasSize(2);
    NotifyRequest asked = sent.get(1);
    assertThat(asked.text()).isEqualTo("*release expenses v1.2.0 to uat* waits for a person: approve expenses v1.2.0"
        + " for uat? (1 approval(s) needed, requested by " + REQUESTER + ")");
    assertThat(asked.fields()).containsEntry("Workflow ID", uat).containsEntry("Who may answer", "@qa-lead");
    assertThat((String) asked.fields().get("Answer with"))
        .contains("silo release approve expenses uat [--comment TEXT]", "silo release reject expenses uat");
    assertThat(asked.skipWhenUnset()).isTrue();
    assertThat(asked.run().workflowId()).isEqualTo(uat);
    assertThat(sent.get(0).text()).isEqualTo("*release expenses v1.2.0 to uat* no longer waits: approved by @qa-lead");
    assertThat(fixture.notifications).as("the pipeline's own notify steps").isEmpty();
  }

  @Test
  void givenAnApprovalGate_whenNobodyApprovesInTime_itShouldSaySo() {
    WorkflowStub run = start("uat");
    await("uat", p -> p.status() == EnvironmentStatus.AWAITING_APPROVAL);

    failedReport(run);

    List<NotifyRequest> sent = sortedByKey(fixture.waitNotices);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).text()).endsWith("no longer waits: not approved within PT72H: 0 of 1 approval(s) received");
  }

  @Test
  void givenAnUnreadableMetricsSource_whenOnCallRollsBack_itShouldTellTheInconclusiveReadingsAndTheRollback() {
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(UNREADABLE)));
    WorkflowStub run = start("dev");
    await("dev", p -> p.status() == EnvironmentStatus.AWAITING_DECISION);
    deployment("dev").reject(new Decision("@oncall", "metrics are down, play safe"));

    failedReport(run);

    List<NotifyRequest> sent = sortedByKey(fixture.waitNotices);
    assertThat(sent).extracting(NotifyRequest::idempotencyKey)
        .satisfiesExactly(key -> assertThat(key).endsWith("/watch-decision/answered"),
            key -> assertThat(key).endsWith("/watch-decision/asked"));
    NotifyRequest asked = sent.get(1);
    assertThat(asked.text()).startsWith("*release expenses v1.2.0 to dev* waits for a person: the watch window could"
        + " not tell whether v1.2.0 is healthy (1 inconclusive reading(s) of error_rate > 1% (limit 1)");
    assertThat(asked.fields()).containsEntry("Who may answer", "anyone the rules let decide (no approvers are named)");
    assertThat((String) asked.fields().get("Answer with"))
        .contains("silo release approve expenses dev [--comment TEXT]   (accepts the version)",
            "silo release reject expenses dev --comment TEXT   (rolls it back)");
    assertThat(sent.get(0).text()).contains("no longer waits: rolled back by @oncall (metrics are down, play safe)");
  }
}
