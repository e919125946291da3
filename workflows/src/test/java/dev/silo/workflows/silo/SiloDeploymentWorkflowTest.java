package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.BASE_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.BRANCH;
import static dev.silo.workflows.silo.SiloFixture.FOREIGN_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.PREVIEW_URL;
import static dev.silo.workflows.silo.SiloFixture.REQUESTER;
import static dev.silo.workflows.silo.SiloFixture.WORKFLOW_ID;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.database.ApplyMigrationsRequest;
import dev.silo.workflows.database.EnsureSecretsRequest;
import dev.silo.workflows.database.SecretRef;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.PushBranchRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** Every row of the silo deployment's failure table, on the time-skipping test server with mocked systems. */
@Timeout(30)
class SiloDeploymentWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenLoadedConfig_whenAwaitingApproval_itShouldPublishThePlanAndCreateNothingYet() {
    SiloRun run = start(request());

    SiloProgress progress = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    assertThat(progress.status()).isEqualTo(SiloStatus.AWAITING_APPROVAL);
    SiloPlan plan = progress.plan();
    assertThat(plan.siloId()).isEqualTo("acme-crm");
    assertThat(plan.applicationName()).isEqualTo("Acme CRM");
    assertThat(plan.containers()).extracting(SiloPlan.PlannedContainer::service, SiloPlan.PlannedContainer::dependsOn)
        .containsExactly(
            tuple("db", List.of()),
            tuple("auth", List.of("db")),
            tuple("rest", List.of("db")),
            tuple("kong", List.of("auth", "rest")));
    assertThat(plan.flyApps()).extracting(SiloPlan.PlannedFlyApp::url)
        .containsExactlyElementsOf(SiloNames.FLY_SERVICES.stream().map(SiloDeploymentWorkflowTest::flyUrl).toList());
    assertThat(plan.migrations())
        .containsExactly("20250101120000_create_customers.sql", "20250102093000_enable_rls.sql");
    assertThat(plan.branch()).isEqualTo(BRANCH);
    assertThat(plan.baseBranch()).isEqualTo("main");
    assertThat(plan.netlifyVariables()).containsEntry("VITE_SUPABASE_URL", flyUrl("kong"))
        .containsEntry("VITE_API_URL", flyUrl("rest"))
        .containsEntry("VITE_APP_ENV", "development");
    assertThat(progress.pending().deadline()).isNotNull();
    assertThat(searchAttribute(run, SiloSearchAttributes.STATUS)).isEqualTo(SiloStatus.AWAITING_APPROVAL.name());
    verifyNoInteractions(silo.docker, silo.fly, silo.database, silo.git);
    assertNothingChangedOnNetlify();

    run.workflow.reject(new Decision(APPROVER, "test over"));
    run.failure();
  }

  @Test
  void givenApprovedPlan_whenFlyIsDeployed_itShouldPassTheSecretsByReferenceAndNeverAskForTheirValues() {
    SiloRun run = start(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);

    verify(silo.database, never()).ensureSecrets(any());
    verify(silo.database, never()).mintKeys(any());
    verify(silo.database).prepareSecrets(new EnsureSecretsRequest("acme-crm"));
    verify(silo.database).mintSiloKeys(argThat(request -> request.siloId().equals("acme-crm")));
    ArgumentCaptor<DeployFlyAppRequest> deploys = ArgumentCaptor.forClass(DeployFlyAppRequest.class);
    verify(silo.fly, times(SiloNames.FLY_SERVICES.size())).submitMachine(deploys.capture());
    assertThat(deploys.getAllValues()).allSatisfy(deploy -> {
      assertThat(deploy.secrets()).isEmpty();
      assertThat(deploy.secretRefs()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "POSTGRES_PASSWORD", SecretRef.databasePassword("acme-crm"),
          "JWT_SECRET", SecretRef.jwtSecret("acme-crm")));
    });
    ApplyMigrationsRequest migrations = captureOne(ApplyMigrationsRequest.class,
        captor -> verify(silo.database).applyMigrations(captor.capture()));
    assertThat(migrations.target().password()).isNull();
    assertThat(migrations.target().passwordRef()).isEqualTo(SecretRef.databasePassword("acme-crm"));
  }

  @Test
  void givenMigrationsKnownByTheirHash_whenDeployed_theMigrationActivityShouldBeToldWhereToReadThem() {
    SiloConfig base = SiloFixture.config();
    List<MigrationFile> hashed = base.migrations().stream()
        .map(file -> MigrationFile.byHash(file.version(), file.name(), file.fileName(), "ab".repeat(32),
            file.sql().length()))
        .toList();
    doReturn(new SiloConfig(base.client(), base.app(), base.directory(), base.composeFile(), base.services(),
        base.flyApps(), base.netlifyEnv(), hashed, base.dockerTaskQueue())).when(silo.config).loadSiloConfig(any());
    SiloRun run = start(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    ArgumentCaptor<ApplyMigrationsRequest> sent = ArgumentCaptor.forClass(ApplyMigrationsRequest.class);
    verify(silo.database).applyMigrations(sent.capture());
    assertThat(sent.getValue().configDirectory()).isEqualTo("acme-crm");
    assertThat(sent.getValue().migrations()).isEqualTo(hashed);
  }

  @Test
  void givenApprovedPlan_whenEverySystemIsHealthy_itShouldDeployTheSiloAndReportIt() {
    SiloRun run = start(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));

    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.failure()).isNull();
    assertThat(report.workflowId()).isEqualTo(WORKFLOW_ID);
    assertThat(report.requester()).isEqualTo(REQUESTER);
    assertThat(report.containers()).extracting(ContainerResult::service, ContainerResult::health)
        .containsExactly(
            tuple("db", ContainerHealth.HEALTHY),
            tuple("auth", ContainerHealth.RUNNING),
            tuple("rest", ContainerHealth.RUNNING),
            tuple("kong", ContainerHealth.RUNNING));
    assertThat(report.flyOrg()).isEqualTo("acme-crm");
    assertThat(report.flyApps())
        .extracting(SiloReport.FlyAppReport::appName, SiloReport.FlyAppReport::url, SiloReport.FlyAppReport::state)
        .containsExactlyElementsOf(SiloNames.FLY_SERVICES.stream()
            .map(service -> tuple(flyApp(service), flyUrl(service), "started"))
            .toList());
    assertThat(report.flyApps()).allMatch(SiloReport.FlyAppReport::createdByThisRun);
    assertThat(report.migrationsApplied()).containsExactlyElementsOf(SiloFixture.MIGRATION_VERSIONS);
    assertThat(report.connection()).isEqualTo(new SiloReport.ConnectionInfo(
        "postgres://postgres@devenv-acme-crm-pg.fly.dev:5432/postgres", flyUrl("kong"), flyUrl("rest"),
        SiloFixture.ANON_KEY));
    assertThat(report.branch()).isEqualTo(new SiloReport.BranchReport(BRANCH, BASE_COMMIT, "CREATED"));
    assertThat(report.netlify().previewUrl()).isEqualTo(PREVIEW_URL);
    assertThat(report.netlify().alreadyConfigured()).isFalse();
    assertThat(report.deskUpdated()).isTrue();
    assertThat(report.decisions())
        .extracting(DecisionRecord::signal, DecisionRecord::actor, DecisionRecord::accepted)
        .containsExactly(tuple(SiloDeploymentWorkflow.APPROVE, APPROVER, true));
    assertThat(report.steps()).extracting(StepProgress::step).containsExactly(StepName.values());
    assertThat(report.steps()).allSatisfy(step -> {
      assertThat(step.state()).isEqualTo(StepState.SUCCEEDED);
      assertThat(step.startedAt()).isNotNull();
      assertThat(step.finishedAt()).isNotNull().isAfterOrEqualTo(step.startedAt());
    });
    assertThat(report.degraded()).isEmpty();
    assertThat(report.nextSteps()).anySatisfy(step -> assertThat(step).contains(PREVIEW_URL));
    assertThat(report.toString()).doesNotContain(
        SiloFixture.DATABASE_PASSWORD, SiloFixture.JWT_SECRET, SiloFixture.SERVICE_ROLE_KEY);

    ConfigureBranchDeployRequest netlifyConfig = captureOne(ConfigureBranchDeployRequest.class,
        captor -> verify(silo.netlify).configureBranchDeploy(captor.capture()));
    assertThat(netlifyConfig.variables()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "VITE_SUPABASE_URL", flyUrl("kong"),
        "VITE_SUPABASE_ANON_KEY", SiloFixture.ANON_KEY,
        "VITE_APP_ENV", "development",
        "VITE_API_URL", flyUrl("rest")));

    UpdateSiloStatusRequest status = captureOne(UpdateSiloStatusRequest.class,
        captor -> verify(silo.desk).updateSiloStatus(captor.capture()));
    LogSiloEventRequest event = captureOne(LogSiloEventRequest.class,
        captor -> verify(silo.desk).logSiloEvent(captor.capture()));
    UpdateApplicationRequest application = captureOne(UpdateApplicationRequest.class,
        captor -> verify(silo.desk).updateApplication(captor.capture()));
    assertThat(status.status()).isEqualTo("active");
    assertThat(status.details()).containsEntry("containers_count", 4).containsEntry("docker_status", "running");
    assertThat(event.event()).isEqualTo("provisioned");
    assertThat(event.details()).containsEntry("silo_preview_url", PREVIEW_URL).containsEntry("silo_branch", BRANCH);
    assertThat(application.silo()).containsEntry("silo_status", "active").doesNotContainKey("silo");
    assertThat(List.of(status.idempotencyKey(), event.idempotencyKey(), application.idempotencyKey()))
        .doesNotHaveDuplicates()
        .allSatisfy(key -> assertThat(key).startsWith(WORKFLOW_ID + ":"));

    assertThat(searchAttribute(run, SiloSearchAttributes.STATUS)).isEqualTo(SiloStatus.DEPLOYED.name());
    assertThat(searchAttribute(run, SiloSearchAttributes.CLIENT)).isEqualTo("acme");
    assertThat(searchAttribute(run, SiloSearchAttributes.APP)).isEqualTo("crm");
  }

  @Test
  void givenApprovalTimeout_whenNobodyDecides_itShouldAbortAndCreateNothing() {
    SiloRun run = start(request());

    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_ABORTED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ABORTED);
    assertThat(report.failure()).contains("not approved within");
    assertThat(report.steps()).extracting(StepProgress::step, StepProgress::state).containsExactly(
        tuple(StepName.VALIDATE, StepState.FAILED),
        tuple(StepName.DOCKER, StepState.SKIPPED),
        tuple(StepName.FLY, StepState.SKIPPED),
        tuple(StepName.GIT, StepState.SKIPPED),
        tuple(StepName.NETLIFY, StepState.SKIPPED),
        tuple(StepName.DESK, StepState.SKIPPED),
        tuple(StepName.REPORT, StepState.SUCCEEDED));
    verifyNoInteractions(silo.docker, silo.fly, silo.database, silo.git);
    assertNothingChangedOnNetlify();
    assertAbortedEventOnlyInDesk();
    assertThat(searchAttribute(run, SiloSearchAttributes.STATUS)).isEqualTo(SiloStatus.ABORTED.name());
  }

  @Test
  void givenAnApprovalTimeoutLongerThanAnyTimer_whenStarted_itShouldEndAsInvalidRequestBeforeAnyActivity() {
    SiloRun run = start(request(new ApprovalPolicy(List.of(), false, Duration.ofDays(99_999_999))));

    ApplicationFailure refusal = closedWithFailure(run);

    assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(refusal.isNonRetryable()).isTrue();
    assertThat(refusal.getOriginalMessage())
        .isEqualTo("approval timeout 2399999976h is out of range: it must be from 1m to 720h");
    verifyNoInteractions(silo.config, silo.desk, silo.docker, silo.fly, silo.database, silo.git, silo.netlify);
  }

  @Test
  void givenAnApprovalTimeoutShorterThanAMinute_whenStarted_itShouldEndAsInvalidRequestBeforeAnyActivity() {
    SiloRun run = start(request(new ApprovalPolicy(List.of(), false, Duration.ofSeconds(30))));

    ApplicationFailure refusal = closedWithFailure(run);

    assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(refusal.getOriginalMessage())
        .isEqualTo("approval timeout 30s is out of range: it must be from 1m to 720h");
    verifyNoInteractions(silo.config, silo.desk, silo.docker, silo.fly, silo.database, silo.git, silo.netlify);
  }

  @Test
  void givenTheLongestApprovalTimeout_whenNobodyDecides_itShouldWaitItOutAndAbort() {
    SiloRun run = start(request(new ApprovalPolicy(List.of(), false, ApprovalPolicy.MAX_TIMEOUT)));

    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_ABORTED.type());

    assertThat(report.failure()).contains("not approved within PT720H");
  }

  /**
   * The failure of a run that closed within a bound: a run whose workflow tasks fail never closes,
   * and the bound tells that apart from a refusal.
   */
  private static ApplicationFailure closedWithFailure(SiloRun run) {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run.stub.getResult(20, TimeUnit.SECONDS, SiloReport.class));
    assertThat(failed).as("the run should have closed as failed").isNotNull();
    if (!(failed.getCause() instanceof ApplicationFailure refusal)) {
      throw new AssertionError("the run should fail with an ApplicationFailure", failed);
    }
    return refusal;
  }

  @Test
  void givenPublishedPlan_whenApproverRejects_itShouldAbortAndCreateNothing() {
    SiloRun run = start(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    run.workflow.reject(new Decision(APPROVER, "the plan targets the wrong region"));

    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_ABORTED.type());
    assertThat(report.status()).isEqualTo(SiloStatus.ABORTED);
    assertThat(report.failure()).contains("rejected by " + APPROVER);
    assertThat(report.decisions())
        .extracting(DecisionRecord::signal, DecisionRecord::actor, DecisionRecord::comment, DecisionRecord::accepted)
        .containsExactly(
            tuple(SiloDeploymentWorkflow.REJECT, APPROVER, "the plan targets the wrong region", true));
    verifyNoInteractions(silo.docker, silo.fly, silo.database, silo.git);
    assertNothingChangedOnNetlify();
    assertAbortedEventOnlyInDesk();
  }

  @Test
  void givenApproverList_whenAnUnlistedPersonApproves_itShouldIgnoreAndRecordItUntilAnAllowedOneApproves() {
    SiloRun run = start(request(SiloFixture.onlyApprovers(APPROVER, "carol")));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    run.workflow.approve(new Decision("mallory", "looks fine to me"));
    SiloProgress afterIgnored = run.awaitProgress(progress -> !progress.decisions().isEmpty(), "a recorded decision");

    assertThat(afterIgnored.status()).isEqualTo(SiloStatus.AWAITING_APPROVAL);
    assertThat(afterIgnored.pending().allowedActors()).containsExactly(APPROVER, "carol");
    verifyNoInteractions(silo.docker, silo.fly);

    run.workflow.approve(new Decision("carol", "approved"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.decisions()).extracting(DecisionRecord::actor, DecisionRecord::accepted)
        .containsExactly(tuple("mallory", false), tuple("carol", true));
    assertThat(report.decisions().get(0).note()).contains("mallory is not an allowed approver");
  }

  @Test
  void givenRequesterApprovesOwnRun_whenSelfApprovalIsNotAllowed_itShouldIgnoreItAndWaitForSomeoneElse() {
    SiloRun run = start(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    run.workflow.approve(new Decision(REQUESTER, "my own plan is fine"));
    SiloProgress afterIgnored = run.awaitProgress(progress -> !progress.decisions().isEmpty(), "a recorded decision");

    assertThat(afterIgnored.status()).isEqualTo(SiloStatus.AWAITING_APPROVAL);
    assertThat(afterIgnored.decisions().get(0).accepted()).isFalse();
    assertThat(afterIgnored.decisions().get(0).note()).contains("requested this run and may not approve it");
    verifyNoInteractions(silo.docker, silo.fly);

    run.workflow.approve(new Decision(APPROVER, "second pair of eyes"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.decisions()).extracting(DecisionRecord::actor, DecisionRecord::accepted)
        .containsExactly(tuple(REQUESTER, false), tuple(APPROVER, true));
  }

  @Test
  void givenSelfApprovalAllowed_whenRequesterApproves_itShouldDeploy() {
    SiloRun run = start(request(new ApprovalPolicy(List.of(), true, ApprovalPolicy.DEFAULT_TIMEOUT)));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    run.workflow.approve(new Decision(REQUESTER, "solo developer silo"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.decisions()).extracting(DecisionRecord::actor, DecisionRecord::accepted)
        .containsExactly(tuple(REQUESTER, true));
  }

  @Test
  void givenDeadContainer_whenDockerStepRuns_itShouldSkipItAndItsDependentsAndStillDeploy() {
    doAnswer(call -> {
      StartContainerRequest request = call.getArgument(0);
      if ("auth".equals(request.service().name())) {
        return new ContainerResult("auth", "silo-acme-crm-auth-1", ContainerHealth.FAILED, "exited with code 1",
            true);
      }
      return SiloFixture.startedContainer(request);
    }).when(silo.docker).startContainer(any());

    SiloReport report = approveAndAwait(start(request())).deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.containers()).extracting(ContainerResult::service, ContainerResult::health)
        .containsExactly(
            tuple("db", ContainerHealth.HEALTHY),
            tuple("auth", ContainerHealth.FAILED),
            tuple("rest", ContainerHealth.RUNNING),
            tuple("kong", ContainerHealth.SKIPPED));
    assertThat(report.containers().get(3).message()).contains("auth");
    assertThat(report.degraded()).extracting(DegradedItem::step, DegradedItem::item)
        .containsExactlyInAnyOrder(tuple(StepName.DOCKER, "auth"), tuple(StepName.DOCKER, "kong"));
    assertThat(stepState(report, StepName.DOCKER)).isEqualTo(StepState.DEGRADED);
    assertThat(report.flyApps()).allSatisfy(app -> assertThat(app.state()).isEqualTo("started"));
    verify(silo.docker, never()).startContainer(argThat(request -> "kong".equals(request.service().name())));
    UpdateSiloStatusRequest status = captureOne(UpdateSiloStatusRequest.class,
        captor -> verify(silo.desk).updateSiloStatus(captor.capture()));
    assertThat(status.details()).containsEntry("containers_count", 2).containsEntry("docker_status", "degraded");
  }

  @Test
  void givenFlyDeployFailure_whenSomeAppsExistedBefore_itShouldDestroyOnlyTheAppsThisRunCreated() {
    // Git runs side by side with Fly: it waits for an overwrite confirmation that never comes, and is
    // cancelled when Fly fails, so the branch is never pushed.
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    doReturn(new FlyAppsFound(List.of(flyApp("pg")))).when(silo.fly).findApps(any());
    doReturn(new FlyApp(flyApp("pg"), "acme-crm", false))
        .when(silo.fly).createApp(argThat(request -> flyApp("pg").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine 3d8d9e never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));

    SiloRun run = approveAndAwait(start(request()));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.failure()).contains("never passed its health checks");
    assertThat(destroyedApps()).containsExactlyInAnyOrder(
        flyApp("rest"), flyApp("auth"), flyApp("kong"), flyApp("storage"), flyApp("studio"));
    assertThat(report.flyApps())
        .extracting(SiloReport.FlyAppReport::appName, SiloReport.FlyAppReport::state,
            SiloReport.FlyAppReport::createdByThisRun)
        .containsExactly(
            tuple(flyApp("pg"), "kept (existed before this run)", false),
            tuple(flyApp("rest"), "destroyed", true),
            tuple(flyApp("auth"), "destroyed", true),
            tuple(flyApp("kong"), "destroyed", true),
            tuple(flyApp("storage"), "destroyed", true),
            tuple(flyApp("studio"), "destroyed", true));
    assertThat(stepState(report, StepName.FLY)).isEqualTo(StepState.FAILED);
    assertThat(stepState(report, StepName.GIT)).isEqualTo(StepState.SKIPPED);
    assertThat(stepState(report, StepName.NETLIFY)).isEqualTo(StepState.SKIPPED);
    assertThat(run.workflow.progress().pending()).as("the overwrite question is withdrawn").isNull();
    verify(silo.database, never()).applyMigrations(any());
    verify(silo.git, never()).pushBranch(any());
    assertNothingChangedOnNetlify();
    assertDeskMarkedError("fly");
    assertThat(searchAttribute(run, SiloSearchAttributes.STATUS)).isEqualTo(SiloStatus.ERROR.name());
  }

  @Test
  void givenACreateRetriedAfterItsReplyWasLost_whenALaterAppFails_itShouldDestroyThatAppToo() {
    // The first attempt created rest but its answer never arrived; the retry found rest and answered
    // "not created", which the run must not take for an app that existed before it.
    doReturn(new FlyApp(flyApp("rest"), "acme-crm", false))
        .when(silo.fly).createApp(argThat(request -> flyApp("rest").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine 3d8d9e ended failed instead of starting",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));

    SiloRun run = approveAndAwait(start(request()));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(destroyedApps()).containsExactlyInAnyOrderElementsOf(
        SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyApp).toList());
    assertThat(report.flyApps()).filteredOn(app -> app.appName().equals(flyApp("rest")))
        .extracting(SiloReport.FlyAppReport::state, SiloReport.FlyAppReport::createdByThisRun)
        .containsExactly(tuple("destroyed", true));
    ArgumentCaptor<FindFlyAppsRequest> lookedUp = ArgumentCaptor.forClass(FindFlyAppsRequest.class);
    verify(silo.fly, times(1)).findApps(lookedUp.capture());
    assertThat(lookedUp.getValue().appNames())
        .containsExactlyElementsOf(SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyApp).toList());
  }

  @Test
  void givenBranchAtAnotherCommit_whenOverwriteIsConfirmed_itShouldForcePushWithTheOldCommitAsLease() {
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = approveAndAwait(start(request()));

    SiloProgress waiting = run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);

    assertThat(waiting.status()).isEqualTo(SiloStatus.AWAITING_BRANCH_CONFIRMATION);
    assertThat(waiting.pending().question()).contains(BRANCH, FOREIGN_COMMIT.substring(0, 12));
    verify(silo.git, never()).pushBranch(any());

    run.workflow.confirmBranchOverwrite(new Decision(APPROVER, "the old branch is a leftover"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.branch()).isEqualTo(new SiloReport.BranchReport(BRANCH, BASE_COMMIT, "OVERWRITTEN"));
    PushBranchRequest push = captureOne(PushBranchRequest.class,
        captor -> verify(silo.git).pushBranch(captor.capture()));
    assertThat(push).isEqualTo(new PushBranchRequest(BRANCH, "main", true, FOREIGN_COMMIT));
    assertThat(report.decisions()).extracting(DecisionRecord::signal, DecisionRecord::accepted).containsExactly(
        tuple(SiloDeploymentWorkflow.APPROVE, true), tuple(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, true));
  }

  @Test
  void givenBranchAtAnotherCommit_whenOverwriteIsDeclined_itShouldFailWithoutPushing() {
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = approveAndAwait(start(request()));
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);

    run.workflow.reject(new Decision(APPROVER, "someone still works on that branch"));
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.failure()).contains("declined");
    assertThat(report.branch()).isNull();
    assertThat(stepState(report, StepName.GIT)).isEqualTo(StepState.FAILED);
    verify(silo.git, never()).pushBranch(any());
    assertNothingChangedOnNetlify();
    assertDeskMarkedError("git");
  }

  @Test
  void givenNetlifyBuildFailure_whenNetlifyStepRuns_itShouldMarkTheSiloErrorAndNeverActive() {
    doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
        FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());

    SiloReport report = approveAndAwait(start(request())).failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.failure()).contains("non-zero exit code");
    assertThat(stepState(report, StepName.NETLIFY)).isEqualTo(StepState.FAILED);
    assertThat(stepState(report, StepName.DESK)).isEqualTo(StepState.SKIPPED);
    assertThat(report.deskUpdated()).isTrue();
    assertDeskMarkedError("netlify");
    verify(silo.fly, never()).destroyApp(any());
  }

  @Test
  void givenDeskDownForThreeAttempts_whenOperatorRetries_itShouldRepeatTheSameWritesAndDeploy() {
    AtomicInteger activeStatusAttempts = new AtomicInteger();
    doAnswer(call -> {
      UpdateSiloStatusRequest request = call.getArgument(0);
      if (activeStatusAttempts.incrementAndGet() <= 3) {
        throw ApplicationFailure.newFailure("desk unreachable: connection refused",
            FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskAck("update_silo_status", request.idempotencyKey(), false);
    }).when(silo.desk).updateSiloStatus(any());
    SiloRun run = approveAndAwait(start(request()));

    SiloProgress stuck = run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);

    assertThat(stuck.status()).isEqualTo(SiloStatus.NEEDS_ATTENTION);
    assertThat(stuck.pending().question()).contains("desk failed 3 times", "connection refused");
    assertThat(activeStatusAttempts).hasValue(3);
    verify(silo.desk).logSiloEvent(any());

    run.workflow.retryDesk(new Decision("dana", "desk is back"));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.deskUpdated()).isTrue();
    ArgumentCaptor<UpdateSiloStatusRequest> statuses = ArgumentCaptor.forClass(UpdateSiloStatusRequest.class);
    verify(silo.desk, times(4)).updateSiloStatus(statuses.capture());
    assertThat(statuses.getAllValues()).extracting(UpdateSiloStatusRequest::idempotencyKey)
        .containsOnly(WORKFLOW_ID + ":" + run.stub.getExecution().getRunId() + ":desk:status-active");
    ArgumentCaptor<LogSiloEventRequest> events = ArgumentCaptor.forClass(LogSiloEventRequest.class);
    verify(silo.desk, times(2)).logSiloEvent(events.capture());
    assertThat(events.getAllValues()).as("the event went out beside the status, and retryDesk re-sent the same one")
        .extracting(LogSiloEventRequest::event, LogSiloEventRequest::idempotencyKey)
        .containsOnly(tuple("provisioned", WORKFLOW_ID + ":desk:event-provisioned"));
    assertThat(report.decisions()).extracting(DecisionRecord::signal, DecisionRecord::actor)
        .contains(tuple(SiloDeploymentWorkflow.RETRY_DESK, "dana"));
  }

  @Test
  void givenBranchConfiguredByAnEarlierRun_whenNoDeployIsReady_itShouldBuildOnceAndSetActiveOnlyOnceReady() {
    silo.branchConfiguredBefore();
    doReturn(new NetlifyBranchConfig("site-acme-crm-web", BRANCH, true, PREVIEW_URL))
        .when(silo.netlify).configureBranchDeploy(any());

    SiloRun run = approveAndAwait(start(request()));
    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.netlify()).isEqualTo(
        new SiloReport.NetlifyReport(BRANCH, PREVIEW_URL, true, "deploy-silo-acme-crm"));
    BuildBranchRequest build = captureOne(BuildBranchRequest.class,
        captor -> verify(silo.netlify).buildBranch(captor.capture()));
    assertThat(build.idempotencyKey())
        .isEqualTo(WORKFLOW_ID + ":" + run.stub.getExecution().getRunId() + ":netlify:build");
    verify(silo.netlify).awaitDeploy(any());
    verify(silo.netlify, never()).triggerBuild(any());
    InOrder readyThenActive = inOrder(silo.netlify, silo.desk);
    readyThenActive.verify(silo.netlify).awaitDeploy(any());
    readyThenActive.verify(silo.desk).updateSiloStatus(argThat(status -> "active".equals(status.status())));
  }

  @Test
  void givenConfigurationAppliedButItsReplyLost_whenTheActivityIsRetried_itShouldStillBuildOnceAndDeploy() {
    AtomicInteger attempts = new AtomicInteger();
    doAnswer(call -> {
      // The first attempt applies the configuration and then loses its reply, as a worker killed
      // right after the writes would; the retry finds the branch configured.
      if (attempts.incrementAndGet() == 1) {
        throw ApplicationFailure.newFailure("worker lost after configuring", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new NetlifyBranchConfig("site-acme-crm-web", BRANCH, true, PREVIEW_URL);
    }).when(silo.netlify).configureBranchDeploy(any());

    SiloReport report = approveAndAwait(start(request())).deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(attempts).hasValue(2);
    verify(silo.netlify, times(1)).buildBranch(any());
    verify(silo.netlify, times(1)).awaitDeploy(any());
    assertThat(report.netlify().deployId()).isEqualTo("deploy-silo-acme-crm");
  }

  @Test
  void givenReadyDeployOfTheBranch_whenNetlifyStepRuns_itShouldTriggerNoBuildAndWaitForNothing() {
    silo.branchConfiguredBefore();
    doReturn(new NetlifyBranchConfig("site-acme-crm-web", BRANCH, true, PREVIEW_URL))
        .when(silo.netlify).configureBranchDeploy(any());
    doReturn(new BranchBuild("build-earlier", "deploy-earlier", "ready", false, PREVIEW_URL))
        .when(silo.netlify).buildBranch(any());

    SiloReport report = approveAndAwait(start(request())).deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.netlify()).isEqualTo(new SiloReport.NetlifyReport(BRANCH, PREVIEW_URL, true, "deploy-earlier"));
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.NETLIFY)
        .extracting(LedgerEntry::action).containsExactly(LedgerAction.FOUND, LedgerAction.FOUND);
    verify(silo.netlify, never()).awaitDeploy(any());
    verify(silo.netlify, never()).triggerBuild(any());
  }

  @Test
  void givenBranchConfiguredByAnEarlierRun_whenItsBuildFails_itShouldNeverSetTheDeskActive() {
    doReturn(new NetlifyBranchConfig("site-acme-crm-web", BRANCH, true, PREVIEW_URL))
        .when(silo.netlify).configureBranchDeploy(any());
    doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
        FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());

    SiloReport report = approveAndAwait(start(request())).failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.netlify().deployId()).isNull();
    assertDeskMarkedError("netlify");
  }

  @Test
  void givenNoContainerEngine_whenTheRequestSkipsContainers_itShouldDeployWithEveryContainerSkipped() {
    SiloDeploymentRequest base = request();
    SiloRun run = start(new SiloDeploymentRequest(base.client(), base.app(), base.requester(), base.configRoot(),
        base.approval(), base.dockerTaskQueue(), true));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "no engine here"));

    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.containers()).extracting(ContainerResult::service, ContainerResult::health)
        .containsExactly(
            tuple("db", ContainerHealth.SKIPPED),
            tuple("auth", ContainerHealth.SKIPPED),
            tuple("rest", ContainerHealth.SKIPPED),
            tuple("kong", ContainerHealth.SKIPPED));
    assertThat(report.degraded()).extracting(DegradedItem::item).containsExactly("db", "auth", "rest", "kong");
    assertThat(report.steps()).filteredOn(step -> step.step() == StepName.DOCKER)
        .extracting(StepProgress::state).containsExactly(StepState.SKIPPED);
    verifyNoInteractions(silo.docker);
  }

  @Test
  void givenInvalidClientName_whenDeployStarts_itShouldFailWithInvalidRequestBeforeAnyActivity() {
    SiloRun run = start(new SiloDeploymentRequest("Acme_Corp", "crm", REQUESTER, null, null, null));

    ApplicationFailure failure = run.failure();

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.getOriginalMessage()).contains("client 'Acme_Corp' is not valid");
    verifyNoInteractions(silo.config, silo.desk, silo.docker, silo.fly, silo.database, silo.git, silo.netlify);
  }

  @Test
  void givenRunDeployingFlyApps_whenOperatorCancels_itShouldDestroyTheAppsItCreated() throws InterruptedException {
    CountDownLatch studioDeploying = new CountDownLatch(1);
    CountDownLatch releaseStudio = new CountDownLatch(1);
    doAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      if ("studio".equals(request.spec().service())) {
        studioDeploying.countDown();
        releaseStudio.await(30, TimeUnit.SECONDS);
      }
      return SiloFixture.startedMachine(request);
    }).when(silo.fly).deployApp(any());
    SiloRun run = approveAndAwait(start(request()));
    try {
      assertThat(studioDeploying.await(20, TimeUnit.SECONDS)).as("studio deploy started").isTrue();
      run.awaitOnlyPendingActivity("AwaitMachine");

      run.stub.cancel("operator stopped the rollout");

      run.assertCancelled();
    } finally {
      releaseStudio.countDown();
    }
    assertThat(destroyedApps()).containsExactlyInAnyOrderElementsOf(
        SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyApp).toList());
    SiloReport report = run.workflow.progress().report();
    assertThat(report.status()).isEqualTo(SiloStatus.CANCELLED);
    assertThat(report.flyApps()).allSatisfy(app -> assertThat(app.state()).isEqualTo("destroyed"));
    assertThat(stepState(report, StepName.FLY)).isEqualTo(StepState.FAILED);
    // Git ran side by side with Fly and completed before the cancellation: its branch stays.
    assertThat(stepState(report, StepName.GIT)).isEqualTo(StepState.SUCCEEDED);
    verify(silo.database, never()).applyMigrations(any());
    verify(silo.git, never()).deleteBranch(any());
    assertNothingChangedOnNetlify();
    LogSiloEventRequest event = captureOne(LogSiloEventRequest.class,
        captor -> verify(silo.desk).logSiloEvent(captor.capture()));
    assertThat(event.event()).isEqualTo("cancelled");
    assertThat(searchAttribute(run, SiloSearchAttributes.STATUS)).isEqualTo(SiloStatus.CANCELLED.name());
  }

  @Test
  void givenStepsThatDoNotNeedEachOther_whenApproved_itShouldRunDockerFlyAndGitSideBySide()
      throws InterruptedException {
    CountDownLatch releaseAuth = new CountDownLatch(1);
    CountDownLatch releaseStudio = new CountDownLatch(1);
    doAnswer(call -> {
      StartContainerRequest request = call.getArgument(0);
      if ("auth".equals(request.service().name())) {
        releaseAuth.await(30, TimeUnit.SECONDS);
      }
      return SiloFixture.startedContainer(request);
    }).when(silo.docker).startContainer(any());
    doAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      if ("studio".equals(request.spec().service())) {
        releaseStudio.await(30, TimeUnit.SECONDS);
      }
      return SiloFixture.startedMachine(request);
    }).when(silo.fly).deployApp(any());
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = approveAndAwait(start(request()));
    try {
      SiloProgress sideBySide = run.awaitProgress(progress -> state(progress, StepName.DOCKER) == StepState.RUNNING
              && state(progress, StepName.FLY) == StepState.RUNNING && state(progress, StepName.GIT) == StepState.WAITING,
          "Docker and Fly running while Git waits for a confirmation");
      assertThat(sideBySide.currentStep()).isEqualTo(StepName.GIT);
      assertThat(sideBySide.status()).isEqualTo(SiloStatus.AWAITING_BRANCH_CONFIRMATION);
      assertThat(state(sideBySide, StepName.NETLIFY)).as("Netlify waits for the anon key and the branch")
          .isEqualTo(StepState.PENDING);
      run.workflow.confirmBranchOverwrite(new Decision(APPROVER, "leftover branch"));
    } finally {
      releaseAuth.countDown();
      releaseStudio.countDown();
    }

    SiloReport report = run.deployed();
    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    StepProgress netlify = step(report, StepName.NETLIFY);
    assertThat(netlify.startedAt()).isAfterOrEqualTo(step(report, StepName.FLY).finishedAt())
        .isAfterOrEqualTo(step(report, StepName.GIT).finishedAt());
    assertThat(step(report, StepName.DESK).startedAt()).isAfterOrEqualTo(step(report, StepName.DOCKER).finishedAt())
        .isAfterOrEqualTo(netlify.finishedAt());
    assertThat(report.branch()).isEqualTo(new SiloReport.BranchReport(BRANCH, BASE_COMMIT, "OVERWRITTEN"));
  }

  @Test
  void givenFlyStillDeploying_whenTheBranchOverwriteIsDeclined_itShouldCancelFlyAndDestroyTheAppsItCreated()
      throws InterruptedException {
    CountDownLatch releaseStudio = new CountDownLatch(1);
    doAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      if ("studio".equals(request.spec().service())) {
        releaseStudio.await(30, TimeUnit.SECONDS);
      }
      return SiloFixture.startedMachine(request);
    }).when(silo.fly).deployApp(any());
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = approveAndAwait(start(request()));
    SiloReport report;
    try {
      run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
      run.awaitOnlyPendingActivity("AwaitMachine");

      run.workflow.reject(new Decision(APPROVER, "keep that branch"));

      report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());
    } finally {
      releaseStudio.countDown();
    }
    assertThat(report.failure()).contains("declined");
    assertThat(stepState(report, StepName.GIT)).isEqualTo(StepState.FAILED);
    assertThat(stepState(report, StepName.FLY)).as("cancelled with the run").isEqualTo(StepState.SKIPPED);
    assertThat(stepState(report, StepName.DOCKER)).isEqualTo(StepState.SUCCEEDED);
    assertThat(destroyedApps()).containsExactlyInAnyOrderElementsOf(
        SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyApp).toList());
    assertThat(report.flyApps()).allSatisfy(app -> assertThat(app.state()).isEqualTo("destroyed"));
    verify(silo.database, never()).applyMigrations(any());
    verify(silo.git, never()).pushBranch(any());
    assertNothingChangedOnNetlify();
    assertDeskMarkedError("git");
  }

  @Test
  void givenBranchQuestionOpenWhileFlyDeploys_whenOperatorCancels_itShouldCloseTheQuestionAndDestroyTheApps()
      throws InterruptedException {
    CountDownLatch releaseStudio = new CountDownLatch(1);
    doAnswer(call -> {
      DeployFlyAppRequest request = call.getArgument(0);
      if ("studio".equals(request.spec().service())) {
        releaseStudio.await(30, TimeUnit.SECONDS);
      }
      return SiloFixture.startedMachine(request);
    }).when(silo.fly).deployApp(any());
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = approveAndAwait(start(request()));
    try {
      run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
      run.awaitOnlyPendingActivity("AwaitMachine");

      run.stub.cancel("operator stopped the rollout");

      run.assertCancelled();
    } finally {
      releaseStudio.countDown();
    }
    SiloProgress progress = run.workflow.progress();
    assertThat(progress.pending()).as("the overwrite question is closed").isNull();
    SiloReport report = progress.report();
    assertThat(report.status()).isEqualTo(SiloStatus.CANCELLED);
    assertThat(List.of(stepState(report, StepName.FLY), stepState(report, StepName.GIT)))
        .containsOnly(StepState.FAILED);
    assertThat(stepState(report, StepName.DOCKER)).isEqualTo(StepState.SUCCEEDED);
    assertThat(destroyedApps()).containsExactlyInAnyOrderElementsOf(
        SiloNames.FLY_SERVICES.stream().map(SiloFixture::flyApp).toList());
    verify(silo.git, never()).pushBranch(any());
    assertNothingChangedOnNetlify();
    LogSiloEventRequest event = captureOne(LogSiloEventRequest.class,
        captor -> verify(silo.desk).logSiloEvent(captor.capture()));
    assertThat(event.event()).isEqualTo("cancelled");
    assertThat(event.idempotencyKey()).as("recorded at the step that waited for a person")
        .endsWith(":desk:event-cancelled-git");
  }

  @Test
  void givenRunStartingContainers_whenOperatorCancels_itShouldStartNoFurtherContainers() throws InterruptedException {
    CountDownLatch authStarting = new CountDownLatch(1);
    CountDownLatch releaseAuth = new CountDownLatch(1);
    doAnswer(call -> {
      StartContainerRequest request = call.getArgument(0);
      if ("auth".equals(request.service().name())) {
        authStarting.countDown();
        releaseAuth.await(30, TimeUnit.SECONDS);
      }
      return SiloFixture.startedContainer(request);
    }).when(silo.docker).startContainer(any());
    SiloRun run = approveAndAwait(start(request()));
    try {
      assertThat(authStarting.await(20, TimeUnit.SECONDS)).as("auth container starting").isTrue();
      run.awaitOnlyPendingActivity("StartContainer");

      run.stub.cancel("operator stopped the rollout");

      run.assertCancelled();
    } finally {
      releaseAuth.countDown();
    }
    verify(silo.docker, never()).startContainer(argThat(request -> "kong".equals(request.service().name())));
    // Fly, Git and Netlify ran side by side with the containers and completed before the cancellation:
    // the saga undoes only a step that did not complete, so the Fly apps stay.
    SiloReport report = run.workflow.progress().report();
    assertThat(report.status()).isEqualTo(SiloStatus.CANCELLED);
    assertThat(stepState(report, StepName.DOCKER)).isEqualTo(StepState.FAILED);
    assertThat(List.of(stepState(report, StepName.FLY), stepState(report, StepName.GIT),
        stepState(report, StepName.NETLIFY))).containsOnly(StepState.SUCCEEDED);
    assertThat(stepState(report, StepName.DESK)).isEqualTo(StepState.SKIPPED);
    verify(silo.fly, never()).destroyApp(any());
    verify(silo.desk, never()).updateApplication(any());
  }

  private SiloRun start(SiloDeploymentRequest request) {
    return silo.startRun(request);
  }

  private static SiloRun approveAndAwait(SiloRun run) {
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }

  private void assertAbortedEventOnlyInDesk() {
    LogSiloEventRequest event = captureOne(LogSiloEventRequest.class,
        captor -> verify(silo.desk).logSiloEvent(captor.capture()));
    assertThat(event.event()).isEqualTo("aborted");
    assertThat(event.idempotencyKey()).startsWith(WORKFLOW_ID + ":");
    verify(silo.desk, never()).updateSiloStatus(any());
    verify(silo.desk, never()).updateApplication(any());
  }

  /** The desk holds status {@code error} and an {@code error} event for the failed step, and never {@code active}. */
  private void assertDeskMarkedError(String step) {
    UpdateSiloStatusRequest status = captureOne(UpdateSiloStatusRequest.class,
        captor -> verify(silo.desk).updateSiloStatus(captor.capture()));
    assertThat(status.status()).isEqualTo("error");
    assertThat(status.idempotencyKey()).startsWith(WORKFLOW_ID + ":").endsWith(":desk:status-error-" + step);
    LogSiloEventRequest event = captureOne(LogSiloEventRequest.class,
        captor -> verify(silo.desk).logSiloEvent(captor.capture()));
    assertThat(event.event()).isEqualTo("error");
    verify(silo.desk, never()).updateApplication(any());
  }

  /** Only VALIDATE's read of the site may have reached Netlify: no configuration, no build. */
  private void assertNothingChangedOnNetlify() {
    verify(silo.netlify, never()).configureBranchDeploy(any());
    verify(silo.netlify, never()).triggerBuild(any());
    verify(silo.netlify, never()).buildBranch(any());
    verify(silo.netlify, never()).awaitDeploy(any());
  }

  private List<String> destroyedApps() {
    ArgumentCaptor<DestroyFlyAppRequest> destroyed = ArgumentCaptor.forClass(DestroyFlyAppRequest.class);
    verify(silo.fly, atLeastOnce()).destroyApp(destroyed.capture());
    return destroyed.getAllValues().stream().map(DestroyFlyAppRequest::appName).toList();
  }

  private static <T> T captureOne(Class<T> type, Consumer<ArgumentCaptor<T>> verification) {
    ArgumentCaptor<T> captor = ArgumentCaptor.forClass(type);
    verification.accept(captor);
    return captor.getValue();
  }

  private static StepState state(SiloProgress progress, StepName step) {
    return progress.steps().stream().filter(each -> each.step() == step).findFirst().orElseThrow().state();
  }

  private static StepProgress step(SiloReport report, StepName step) {
    return report.steps().stream().filter(progress -> progress.step() == step).findFirst().orElseThrow();
  }

  private static StepState stepState(SiloReport report, StepName step) {
    return report.steps().stream().filter(progress -> progress.step() == step).findFirst().orElseThrow().state();
  }

  private static String searchAttribute(SiloRun run, SearchAttributeKey<String> key) {
    return run.stub.describe().getTypedSearchAttributes().get(key);
  }

  private static String flyUrl(String service) {
    return "https://devenv-acme-crm-" + service + ".fly.dev";
  }
}
