package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.BASE_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.BRANCH;
import static dev.silo.workflows.silo.SiloFixture.FOREIGN_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.WORKFLOW_ID;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SshKeygenKeys;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.notify.WebhookDelivery;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the histories {@link SiloDeploymentReplayTest} replays. Run it when the workflow's
 * commands change on purpose (behind {@code Workflow.getVersion}), and commit the new files:
 * {@code ./mvnw -pl workflows test -Dtest=RecordHistoryTest -Dsilo.recordHistories=true}.
 *
 * <p>Each method names its own file, and a file that exists already is never written again: its
 * method is skipped before it runs. A recorded history proves that runs started by the code of its
 * day still replay, so recording the current code over it would remove that proof. A new path gets
 * a new method and a new file; to record an old file again, delete it first, on purpose.
 * The fixture's secrets are fake values, so the histories hold no real secret.
 */
@Tag("record")
@EnabledIfSystemProperty(named = "silo.recordHistories", matches = "true")
@Timeout(30)
class RecordHistoryTest {

  private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

  /**
   * The workflow ID of the refused run: a parent's own naming, not {@code silo-{client}-{app}}.
   * {@link SiloDeploymentReplayTest} replays that history under it.
   */
  static final String FOREIGN_WORKFLOW_ID = "onboard-acme-crm-deployment";
  static final String FOREIGN_WORKFLOW_ID_HISTORY = "silo-deployment-refused-foreign-workflow-id.json";

  /** A run for a client holding a hyphen, refused under the silo ID it asked for. */
  static final String HYPHENATED_CLIENT_WORKFLOW_ID = "silo-acme-sig-a";
  static final String HYPHENATED_CLIENT_HISTORY = "silo-deployment-refused-hyphenated-client.json";

  /** A run whose approval timeout is longer than any timer, refused on its first task. */
  static final String OUT_OF_RANGE_TIMEOUT_HISTORY = "silo-deployment-refused-out-of-range-approval-timeout.json";

  /** The runs whose steps run side by side ({@link SiloRunner#SIDE_BY_SIDE}). */
  static final String SIDE_BY_SIDE_DEPLOYED_HISTORY = "silo-deployment-side-by-side-deployed.json";
  static final String AWAIT_TIMER_SUMMARIES_HISTORY = "silo-deployment-await-timer-summaries.json";
  static final String PUSH_RUNS_TO_ITS_END_HISTORY = "silo-deployment-side-by-side-fly-failure-push-runs-to-its-end.json";
  static final String SIDE_BY_SIDE_FLY_FAILURE_HISTORY = "silo-deployment-side-by-side-fly-failure.json";
  static final String SIDE_BY_SIDE_NETLIFY_FAILURE_HISTORY =
      "silo-deployment-side-by-side-netlify-failure-desk-retry.json";

  /** The runs that submit each machine, then wait for it ({@link FlyMachineDeploy#SUBMIT_THEN_AWAIT}). */
  static final String SUBMIT_THEN_AWAIT_DEPLOYED_HISTORY = "silo-deployment-fly-submit-then-await-deployed.json";
  static final String SUBMIT_THEN_AWAIT_FLY_FAILURE_HISTORY = "silo-deployment-fly-submit-then-await-failure.json";

  /**
   * A deployed run whose VALIDATE reads ({@link ValidateStep#READS_SIDE_BY_SIDE}) and whose desk
   * writes ({@link DeskStep#DESK_WRITES_SIDE_BY_SIDE}) go out at once, the status write needing a
   * {@code retryDesk}.
   */
  static final String READS_AND_DESK_WRITES_SIDE_BY_SIDE_HISTORY =
      "silo-deployment-reads-and-desk-writes-side-by-side.json";

  /** A deployed run that reads the allowed signers locally ({@link SiloDeploymentWorkflowImpl#TRUST_READ_LOCALLY}). */
  static final String TRUST_READ_LOCALLY_HISTORY = "silo-deployment-trust-read-locally.json";

  /**
   * A guided-failure run ({@link SiloDeploymentWorkflowImpl#GUIDED_FAILURE}): Fly fails, an approver
   * sends {@code retryStep}, the step runs again and the silo is deployed.
   */
  static final String GUIDED_FAILURE_RETRY_HISTORY = "silo-deployment-guided-failure-fly-retry.json";

  /** The queue of a second engine host, which one recorded silo's config names. */
  private static final String ENGINE_B = "engine-b";

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker, Map.of(TaskQueues.DOCKER, silo.docker, ENGINE_B, silo.docker));
  }

  @Test
  void givenHappyPath_whenRecorded_itShouldWriteTheHistoryOfADeployedSilo() throws IOException {
    Path history = newHistory("silo-deployment-happy-path.json");
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write(history);
  }

  @Test
  void givenFlyFailure_whenRecorded_itShouldWriteTheHistoryOfTheSaga() throws IOException {
    Path history = newHistory("silo-deployment-fly-failure.json");
    doReturn(new FlyApp(flyApp("pg"), "acme-crm", false))
        .when(silo.fly).createApp(argThat(request -> flyApp("pg").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    SiloRun run = approvedRun();

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).status()).isEqualTo(SiloStatus.ERROR);
    write(history);
  }

  @Test
  void givenBranchOverwriteAndDeskOutage_whenRecorded_itShouldWriteTheHistoryOfEveryDecision() throws IOException {
    Path history = newHistory("silo-deployment-branch-overwrite-desk-retry.json");
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    AtomicInteger statusAttempts = new AtomicInteger();
    doAnswer(call -> {
      if (statusAttempts.incrementAndGet() <= 3) {
        throw ApplicationFailure.newFailure("desk unreachable", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(), false);
    }).when(silo.desk).updateSiloStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
    run.workflow.confirmBranchOverwrite(new Decision(APPROVER, "leftover branch"));
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    run.workflow.retryDesk(new Decision("dana", "desk is back"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write(history);
  }

  @Test
  void givenAWebhookForPeopleNeeded_whenRecorded_itShouldWriteTheHistoryOfEachQuestionToldAskedAndAnswered()
      throws IOException {
    Path history = newHistory("silo-deployment-notify-when-waiting.json");
    doReturn(new WebhookDelivery(200, null)).when(silo.notify).notify(any());
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
    run.workflow.confirmBranchOverwrite(new Decision(APPROVER, "leftover branch"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    verify(silo.notify, times(4)).notify(any());
    write(history);
  }

  @Test
  void givenNetlifyFailureAndDeskOutage_whenRecorded_itShouldWriteTheHistoryOfAnErrorRecordedAfterRetryDesk()
      throws IOException {
    Path history = newHistory("silo-deployment-netlify-failure-desk-retry.json");
    doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
        FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());
    AtomicInteger statusAttempts = new AtomicInteger();
    doAnswer(call -> {
      if (statusAttempts.incrementAndGet() <= 3) {
        throw ApplicationFailure.newFailure("desk unreachable", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(), false);
    }).when(silo.desk).updateSiloStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    run.workflow.retryDesk(new Decision("dana", "desk is back"));

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).deskUpdated()).isTrue();
    write(history);
  }

  @Test
  void givenAConfigNamingTheDockerQueue_whenRecorded_itShouldWriteTheHistoryOfARunOnThatEngine() throws IOException {
    Path history = newHistory("silo-deployment-docker-queue-from-config.json");
    silo.configNamesDockerTaskQueue(ENGINE_B);
    SiloRun run = approvedRun();

    assertThat(run.deployed().dockerTaskQueue()).isEqualTo(ENGINE_B);
    write(history);
  }

  @Test
  void givenBranchConfiguredByAnEarlierRun_whenRecorded_itShouldWriteTheHistoryOfItsBuildUntilReady()
      throws IOException {
    Path history = newHistory("silo-deployment-netlify-build-until-ready.json");
    doReturn(new NetlifyBranchConfig("site-acme-crm-web", BRANCH, true, SiloFixture.PREVIEW_URL))
        .when(silo.netlify).configureBranchDeploy(any());
    SiloRun run = approvedRun();

    assertThat(run.deployed().netlify().deployId()).isNotNull();
    write(history);
  }

  /**
   * A deployed silo on today's code: every change a DEPLOYED run passes is at its newest version,
   * so Fly's apps are looked up before any create, VALIDATE reads the Netlify site to check the
   * derived names, the Docker queue comes from the config, and Netlify builds the branch until a
   * deploy is ready. ({@code silo-workflow-id-enforced} is asked only of a run under a foreign ID,
   * and {@code desk-stop-until-acknowledged} only on the failure path, recorded below.)
   */
  @Test
  void givenEveryCurrentChange_whenADeployedRunIsRecorded_itShouldWriteTheHistoryOfTheNewestPaths()
      throws IOException {
    Path history = newHistory("silo-deployment-deployed-every-change.json");
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    verify(silo.fly).findApps(any());
    verify(silo.netlify).describeSite(any());
    verify(silo.netlify).buildBranch(any());
    write(history);
  }

  /**
   * A deployed run that passes the silo's secrets by reference ({@code secrets-by-reference}): the
   * activities resolve them from the worker's secret store, so none is in the history.
   */
  @Test
  void givenSecretsPassedByReference_whenADeployedRunIsRecorded_itShouldWriteAHistoryWithoutSecrets()
      throws IOException {
    Path history = newHistory("silo-deployment-secrets-by-reference.json");
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    verify(silo.database).prepareSecrets(any());
    verify(silo.database).mintSiloKeys(any());
    write(history);
  }

  /**
   * Fly applies the create of the Postgres app and then the connection drops, so the retry finds
   * the app; a later deploy fails, and the saga must destroy that app, since the look-up before
   * any create recorded that it did not exist. The failure's desk writes go through the
   * until-acknowledged path.
   */
  @Test
  void givenALostCreateReplyAndAFlyFailure_whenRecorded_itShouldWriteTheHistoryOfTheSagaDestroyingThatApp()
      throws IOException {
    Path history = newHistory("silo-deployment-fly-lost-create-reply.json");
    AtomicInteger pgCreates = new AtomicInteger();
    doAnswer(call -> {
      if (pgCreates.incrementAndGet() == 1) {
        throw ApplicationFailure.newFailure("connection reset after the create was applied",
            FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new FlyApp(flyApp("pg"), "acme-crm", false);
    }).when(silo.fly).createApp(argThat(request -> flyApp("pg").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    SiloRun run = approvedRun();

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).status()).isEqualTo(SiloStatus.ERROR);
    assertThat(pgCreates).hasValue(2);
    verify(silo.fly).destroyApp(argThat(request -> flyApp("pg").equals(request.appName())));
    write(history);
  }

  /**
   * A deployment started under another workflow ID than the silo's: the only path that asks
   * {@code silo-workflow-id-enforced}, and it refuses the run before any activity.
   */
  @Test
  void givenAForeignWorkflowId_whenRecorded_itShouldWriteTheHistoryOfTheRefusal() throws IOException {
    Path history = newHistory(FOREIGN_WORKFLOW_ID_HISTORY);
    SiloDeploymentWorkflow workflow = silo.env().getWorkflowClient().newWorkflowStub(SiloDeploymentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(FOREIGN_WORKFLOW_ID).setTaskQueue(silo.taskQueue()).build());

    WorkflowFailedException refused = catchThrowableOfType(WorkflowFailedException.class,
        () -> workflow.deploy(SiloFixture.request()));

    assertThat(refused).isNotNull();
    assertThat(((ApplicationFailure) refused.getCause()).getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    write(history, FOREIGN_WORKFLOW_ID);
  }

  /**
   * A client holding a hyphen, whose silo ID another pair shares: the only path that asks {@code
   * silo-unique-silo-ids}, and it refuses the run before any activity.
   */
  @Test
  void givenAHyphenatedClient_whenRecorded_itShouldWriteTheHistoryOfTheRefusal() throws IOException {
    Path history = newHistory(HYPHENATED_CLIENT_HISTORY);
    SiloRun run = silo.startRun(new SiloDeploymentRequest("acme-sig", "a", SiloFixture.REQUESTER,
        "/srv/silo/config/silos", ApprovalPolicy.defaults(), null));

    assertThat(run.failure().getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    write(history, HYPHENATED_CLIENT_WORKFLOW_ID);
  }

  /**
   * An approval timeout no timer holds: the only path that asks {@code
   * silo-request-durations-bounded}, and it refuses the run before any activity.
   */
  @Test
  void givenAnOutOfRangeApprovalTimeout_whenRecorded_itShouldWriteTheHistoryOfTheRefusal() throws IOException {
    Path history = newHistory(OUT_OF_RANGE_TIMEOUT_HISTORY);
    SiloRun run = silo.startRun(SiloFixture.request(
        new ApprovalPolicy(List.of(), false, Duration.ofDays(99_999_999))));

    assertThat(run.failure().getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    write(history);
  }

  @Test
  void givenSignedDecisions_whenRecorded_itShouldWriteTheHistoryOfUpdatesVerifiedAgainstTheAllowedSigners(
      @TempDir Path keysDir) throws IOException {
    Path history = newHistory("silo-deployment-signed-decisions.json");
    SshKeygenKeys keys = new SshKeygenKeys(keysDir);
    SshKeygenKeys.Key alice = keys.generate("alice@example.com");
    SshKeygenKeys.Key bob = keys.generate("bob@example.com", "ecdsa");
    silo.trust.set(keys.allowedSigners(alice, bob));
    SiloConfig first = SiloFixture.config();
    List<MigrationFile> more = new ArrayList<>(first.migrations());
    more.add(new MigrationFile("20250103100000", "add_index", "20250103100000_add_index.sql",
        "create index on public.customers (name);"));
    SiloConfig changed = new SiloConfig(first.client(), first.app(), first.directory(), first.composeFile(),
        first.services(), first.flyApps(), first.netlifyEnv(), more, first.dockerTaskQueue());
    doReturn(first).doReturn(changed).when(silo.config).loadSiloConfig(any());
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloDeploymentRequest request = SiloFixture.request();
    String signedAt = java.time.Instant.now().toString();
    SiloRun run = silo.startRun(request.signed(new StartSignature(signedAt,
        keys.sign(alice, DecisionText.start(WORKFLOW_ID, request.signedText(), signedAt)))));

    SiloProgress firstPlan = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision("bob@example.com", "unsigned, from the Web UI"));
    run.workflow.approveUpdate(signedDecision(keys, bob, run, firstPlan.planHash(), "approve", "plan reviewed"));
    SiloProgress secondPlan = run.awaitProgress(progress -> progress.pending() != null
        && !firstPlan.planHash().equals(progress.planHash()), "the changed plan asked about again");
    run.workflow.approveUpdate(signedDecision(keys, bob, run, secondPlan.planHash(), "approve", "new migration ok"));
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
    run.workflow.confirmBranchOverwriteUpdate(signedDecision(keys, bob, run, secondPlan.planHash(),
        SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, "leftover branch"));

    assertThat(run.deployed().decisions()).extracting(DecisionRecord::signature)
        .containsExactly(DecisionRecord.UNSIGNED, DecisionRecord.SIGNED, null, DecisionRecord.SIGNED,
            DecisionRecord.SIGNED);
    write(history);
  }

  /**
   * The config step returns each migration's hash and size, not its SQL, and the migration activity
   * is told the silo's config directory to read the files from ({@code migrations-read-by-activity}).
   */
  @Test
  void givenMigrationsKnownByTheirHash_whenRecorded_itShouldWriteTheHistoryOfAMigrationActivityThatReadsTheFiles()
      throws IOException {
    Path history = newHistory("silo-deployment-migrations-by-hash.json");
    SiloConfig base = SiloFixture.config();
    List<MigrationFile> hashed = base.migrations().stream()
        .map(file -> MigrationFile.byHash(file.version(), file.name(), file.fileName(), "ab".repeat(32),
            file.sql().length()))
        .toList();
    doReturn(new SiloConfig(base.client(), base.app(), base.directory(), base.composeFile(), base.services(),
        base.flyApps(), base.netlifyEnv(), hashed, base.dockerTaskQueue())).when(silo.config).loadSiloConfig(any());
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    verify(silo.database).applyMigrations(argThat(request -> "acme-crm".equals(request.configDirectory())));
    write(history);
  }

  /**
   * A deployed silo whose steps run side by side ({@code silo-steps-side-by-side}): Docker, Fly and
   * Git once the plan is approved, Netlify once Fly's anon key and the branch exist, the desk last.
   */
  @Test
  void givenStepsSideBySide_whenADeployedRunIsRecorded_itShouldWriteTheHistoryOfTheParallelRunbook()
      throws IOException {
    Path history = newHistory(SIDE_BY_SIDE_DEPLOYED_HISTORY);
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write(history);
  }

  /**
   * A deployed silo whose timed waits start summarized timers ({@code await-timer-summaries}): the
   * plan's approval and a branch overwrite question, each answered before its timer fires, so each
   * timer is cancelled.
   */
  @Test
  void givenSummarizedWaitTimers_whenADeployedRunWithTwoQuestionsIsRecorded_itShouldWriteTheirTimers()
      throws IOException {
    Path history = newHistory(AWAIT_TIMER_SUMMARIES_HISTORY);
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
    run.workflow.confirmBranchOverwrite(new Decision(APPROVER, "leftover branch"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write(history);
  }

  /**
   * Fly fails while the steps run side by side: Git, waiting for an overwrite confirmation, is
   * cancelled; the containers are let finish; the saga destroys the apps this run created.
   */
  @Test
  void givenStepsSideBySide_whenAFlyFailureIsRecorded_itShouldWriteTheHistoryOfTheSagaAndTheCancelledBranch()
      throws IOException {
    Path history = newHistory(SIDE_BY_SIDE_FLY_FAILURE_HISTORY);
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    doReturn(new FlyApp(flyApp("pg"), "acme-crm", false))
        .when(silo.fly).createApp(argThat(request -> flyApp("pg").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    SiloRun run = approvedRun();

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).status()).isEqualTo(SiloStatus.ERROR);
    verify(silo.fly).destroyApp(argThat(request -> flyApp("studio").equals(request.appName())));
    verify(silo.git, never()).pushBranch(any());
    write(history);
  }

  /**
   * Fly fails while the branch is pushed beside it ({@code git-push-runs-to-its-end}): the push, once
   * sent, completes outside the cancelled step, so the report lists the branch it left.
   */
  @Test
  void givenStepsSideBySide_whenFlyFailsBesideThePush_itShouldWriteTheHistoryOfAPushThatRanToItsEnd()
      throws IOException {
    Path history = newHistory(PUSH_RUNS_TO_ITS_END_HISTORY);
    doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    SiloRun run = approvedRun();

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).status()).isEqualTo(SiloStatus.ERROR);
    write(history);
  }

  /** Every machine submitted, then waited for in an activity of its own, and the silo deployed. */
  @Test
  void givenSubmitThenAwait_whenADeploymentIsRecorded_itShouldWriteTheHistoryOfSubmitsAndAwaits() throws IOException {
    Path history = newHistory(SUBMIT_THEN_AWAIT_DEPLOYED_HISTORY);
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    verify(silo.fly, times(SiloNames.FLY_SERVICES.size())).awaitMachine(any());
    write(history);
  }

  /** A machine that never gets healthy fails its wait, and the saga destroys the apps this run created. */
  @Test
  void givenSubmitThenAwait_whenAWaitFailsAndIsRecorded_itShouldWriteTheHistoryOfTheSaga() throws IOException {
    Path history = newHistory(SUBMIT_THEN_AWAIT_FLY_FAILURE_HISTORY);
    doThrow(ApplicationFailure.newNonRetryableFailure("Fly machine m-studio of " + flyApp("studio")
        + " checks are not passing after PT5M", FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).awaitMachine(argThat(machine -> flyApp("studio").equals(machine.appName())));
    SiloRun run = approvedRun();

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).status()).isEqualTo(SiloStatus.ERROR);
    verify(silo.fly).destroyApp(argThat(request -> flyApp("studio").equals(request.appName())));
    write(history);
  }

  /** Netlify's build fails after the steps ran side by side, and the desk needs a {@code retryDesk}. */
  @Test
  void givenStepsSideBySide_whenANetlifyFailureAndDeskOutageAreRecorded_itShouldWriteTheHistoryOfRetryDesk()
      throws IOException {
    Path history = newHistory(SIDE_BY_SIDE_NETLIFY_FAILURE_HISTORY);
    doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
        FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());
    AtomicInteger statusAttempts = new AtomicInteger();
    doAnswer(call -> {
      if (statusAttempts.incrementAndGet() <= 3) {
        throw ApplicationFailure.newFailure("desk unreachable", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(), false);
    }).when(silo.desk).updateSiloStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    run.workflow.retryDesk(new Decision("dana", "desk is back"));

    assertThat(run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type()).deskUpdated()).isTrue();
    write(history);
  }

  /** The reads and the desk writes side by side; the desk refuses the status until a {@code retryDesk}. */
  @Test
  void givenReadsAndDeskWritesSideBySide_whenTheStatusNeedsARetryDesk_itShouldWriteTheHistoryOfADeployedSilo()
      throws IOException {
    Path history = newHistory(READS_AND_DESK_WRITES_SIDE_BY_SIDE_HISTORY);
    AtomicInteger statusAttempts = new AtomicInteger();
    doAnswer(call -> {
      if (statusAttempts.incrementAndGet() <= 3) {
        throw ApplicationFailure.newFailure("desk unreachable", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(), false);
    }).when(silo.desk).updateSiloStatus(any());
    SiloRun run = approvedRun();
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    run.workflow.retryDesk(new Decision("dana", "desk is back"));

    assertThat(run.deployed().deskUpdated()).isTrue();
    write(history);
  }

  @Test
  void givenTrustReadLocally_whenADeployedSiloIsRecorded_itShouldWriteItsHistory() throws IOException {
    Path history = newHistory(TRUST_READ_LOCALLY_HISTORY);
    SiloRun run = approvedRun();

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write(history);
  }

  @Test
  void givenGuidedFailure_whenFlyFailsAndIsRetried_itShouldWriteItsHistory() throws IOException {
    Path history = newHistory(GUIDED_FAILURE_RETRY_HISTORY);
    AtomicInteger studioDeploys = new AtomicInteger();
    doAnswer(call -> {
      if (studioDeploys.getAndIncrement() == 0) {
        throw ApplicationFailure.newNonRetryableFailure("machine never passed its health checks",
            FailureType.DEPLOY_FAILED.type());
      }
      return SiloFixture.startedMachine(call.getArgument(0));
    }).when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    SiloRun run = silo.startRun(SiloFixture.request().withOnFailure(OnFailure.ASK));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_STEP);
    run.workflow.retryStep(new Decision(APPROVER, "machine image fixed"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    write(history);
  }

  private static Decision signedDecision(SshKeygenKeys keys, SshKeygenKeys.Key key, SiloRun run, String planHash,
      String kind, String comment) {
    String runId = run.stub.getExecution().getRunId();
    String question = run.workflow.progress().pending().id();
    return new Decision(key.principal(), comment, planHash,
        keys.sign(key, DecisionText.decision(WORKFLOW_ID, runId, planHash, question, kind, comment)));
  }

  private SiloRun approvedRun() {
    SiloRun run = silo.startRun(SiloFixture.request());
    run.workflow.approve(new Decision(SiloFixture.REQUESTER, "ignored: the requester may not approve"));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }

  /**
   * The file a method records, or the method is skipped when the file exists: that file proves the
   * runs of older code replay, and must stay as it was recorded.
   */
  private static Path newHistory(String fileName) {
    Path history = HISTORIES.resolve(fileName);
    Assumptions.assumeFalse(Files.exists(history),
        () -> history + " exists and is kept: it proves that older runs replay; record new paths in a new file");
    return history;
  }

  /** Writes the run's history; CREATE_NEW refuses to replace a file written since the method began. */
  private void write(Path history) throws IOException {
    write(history, WORKFLOW_ID);
  }

  private void write(Path history, String workflowId) throws IOException {
    Files.createDirectories(HISTORIES);
    Files.writeString(history, silo.env().getWorkflowClient().fetchHistory(workflowId).toJson(true),
        StandardOpenOption.CREATE_NEW);
  }
}
