package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.BASE_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.PREVIEW_URL;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.git.BranchStatus;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The report's ledger in every outcome: per system, what the run created, found, changed, removed or
 * failed to do, as the systems answered, and the REPORT step done whenever a report is written.
 */
@Timeout(30)
class SiloReportLedgerTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenHealthySystems_whenDeployed_itShouldListWhatEachSystemHoldsNow() {
    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    assertThat(report.ledger()).extracting(LedgerEntry::system, LedgerEntry::item, LedgerEntry::action)
        .containsExactlyElementsOf(concat(
            List.of(
                tuple(SiloSystem.CONTAINERS, "silo-acme-crm-db-1", LedgerAction.CREATED),
                tuple(SiloSystem.CONTAINERS, "silo-acme-crm-auth-1", LedgerAction.CREATED),
                tuple(SiloSystem.CONTAINERS, "silo-acme-crm-rest-1", LedgerAction.CREATED),
                tuple(SiloSystem.CONTAINERS, "silo-acme-crm-kong-1", LedgerAction.CREATED),
                tuple(SiloSystem.FLY, "organization acme-crm", LedgerAction.CREATED)),
            flyApps(LedgerAction.CREATED),
            List.of(
                tuple(SiloSystem.DATABASE, "migration 20250101120000", LedgerAction.CREATED),
                tuple(SiloSystem.DATABASE, "migration 20250102093000", LedgerAction.CREATED),
                tuple(SiloSystem.DATABASE, "API keys", LedgerAction.CREATED),
                tuple(SiloSystem.GIT, "branch silo/acme-crm", LedgerAction.CREATED),
                tuple(SiloSystem.NETLIFY, "branch deploys of silo/acme-crm", LedgerAction.CREATED),
                tuple(SiloSystem.NETLIFY, "deploy deploy-silo-acme-crm (build build-5f1e)", LedgerAction.CREATED),
                tuple(SiloSystem.SERVICE_DESK, "silo status", LedgerAction.UPDATED),
                tuple(SiloSystem.SERVICE_DESK, "event provisioned", LedgerAction.CREATED),
                tuple(SiloSystem.SERVICE_DESK, "application record", LedgerAction.UPDATED))));
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.SERVICE_DESK)
        .extracting(LedgerEntry::detail).first().isEqualTo("active");
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.GIT)
        .extracting(LedgerEntry::detail).containsExactly("at " + BASE_COMMIT);
    assertThat(stepState(report, StepName.REPORT)).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void givenContainersAnEarlierRunCreated_whenDeployedAgain_itShouldListThemFoundAndTheRestCreated() {
    doAnswer(call -> {
      ContainerResult started = SiloFixture.startedContainer(call.getArgument(0));
      boolean createdByThisRun = !List.of("db", "auth").contains(started.service());
      return new ContainerResult(started.service(), started.containerName(), started.health(), null,
          createdByThisRun);
    }).when(silo.docker).startContainer(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.CONTAINERS)
        .extracting(LedgerEntry::item, LedgerEntry::action, LedgerEntry::detail)
        .containsExactly(
            tuple("silo-acme-crm-db-1", LedgerAction.FOUND, "healthy"),
            tuple("silo-acme-crm-auth-1", LedgerAction.FOUND, "running"),
            tuple("silo-acme-crm-rest-1", LedgerAction.CREATED, "running"),
            tuple("silo-acme-crm-kong-1", LedgerAction.CREATED, "running"));
  }

  @Test
  void givenContainerResultsThatDoNotSayWhoCreatedThem_whenDeployed_itShouldListThemEnsured() {
    // Results recorded before ContainerResult said who created the container read back with null.
    doAnswer(call -> {
      ContainerResult started = SiloFixture.startedContainer(call.getArgument(0));
      return new ContainerResult(started.service(), started.containerName(), started.health(), null, null);
    }).when(silo.docker).startContainer(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.CONTAINERS)
        .extracting(LedgerEntry::action).containsOnly(LedgerAction.ENSURED).hasSize(4);
  }

  @Test
  void givenNoContainerEngine_whenDeployed_itShouldListTheSkippedContainersAndEverythingElseCreated() {
    SiloDeploymentRequest base = request();
    SiloReport report = approveAndAwait(silo.startRun(new SiloDeploymentRequest(base.client(), base.app(),
        base.requester(), base.configRoot(), base.approval(), base.dockerTaskQueue(), true))).deployed();

    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.CONTAINERS)
        .extracting(LedgerEntry::item, LedgerEntry::action)
        .containsExactly(
            tuple("db", LedgerAction.SKIPPED),
            tuple("auth", LedgerAction.SKIPPED),
            tuple("rest", LedgerAction.SKIPPED),
            tuple("kong", LedgerAction.SKIPPED));
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.FLY).hasSize(7)
        .allSatisfy(entry -> assertThat(entry.action()).isEqualTo(LedgerAction.CREATED));
    assertThat(report.ledger()).extracting(LedgerEntry::system).contains(SiloSystem.DATABASE, SiloSystem.GIT,
        SiloSystem.NETLIFY, SiloSystem.SERVICE_DESK);
    assertThat(report.connection()).isNotNull();
    assertThat(report.netlify().previewUrl()).isEqualTo(PREVIEW_URL);
    assertThat(stepState(report, StepName.REPORT)).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void givenRejectedPlan_whenAborted_itShouldListOnlyTheDeskEventAndShowTheReportWritten() {
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.reject(new Decision(APPROVER, "wrong client"));

    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_ABORTED.type());

    assertThat(report.ledger()).extracting(LedgerEntry::system, LedgerEntry::item, LedgerEntry::action)
        .containsExactly(tuple(SiloSystem.SERVICE_DESK, "event aborted", LedgerAction.CREATED));
    assertThat(report.steps()).extracting(StepProgress::step, StepProgress::state).containsExactly(
        tuple(StepName.VALIDATE, StepState.FAILED),
        tuple(StepName.DOCKER, StepState.SKIPPED),
        tuple(StepName.FLY, StepState.SKIPPED),
        tuple(StepName.GIT, StepState.SKIPPED),
        tuple(StepName.NETLIFY, StepState.SKIPPED),
        tuple(StepName.DESK, StepState.SKIPPED),
        tuple(StepName.REPORT, StepState.SUCCEEDED));
  }

  @Test
  void givenFlyDeployFailure_whenTheRunStops_itShouldListTheAppsTheRollbackRemovedAndTheDeskError() {
    // Git runs side by side with Fly and waits for an overwrite confirmation; Fly's failure cancels
    // it, so the branch is untouched and has no entry.
    doReturn(new BranchStatus(SiloFixture.BRANCH, true, SiloFixture.FOREIGN_COMMIT, "main", BASE_COMMIT))
        .when(silo.git).getBranchStatus(any());
    doReturn(new FlyOrganization("acme-crm", "org-acme-crm", false)).when(silo.fly).ensureOrganization(any());
    doReturn(new FlyAppsFound(List.of(flyApp("pg")))).when(silo.fly).findApps(any());
    doReturn(new FlyApp(flyApp("pg"), "acme-crm", false))
        .when(silo.fly).createApp(argThat(request -> flyApp("pg").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine 3d8d9e never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));

    SiloReport report = approveAndAwait(silo.startRun(request()))
        .failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.ledger()).filteredOn(entry -> entry.system() != SiloSystem.CONTAINERS)
        .extracting(LedgerEntry::system, LedgerEntry::item, LedgerEntry::action, LedgerEntry::detail)
        .containsExactly(
            tuple(SiloSystem.FLY, "organization acme-crm", LedgerAction.FOUND, null),
            tuple(SiloSystem.FLY, flyUrl("pg"), LedgerAction.FOUND, "started; kept: it existed before this run"),
            tuple(SiloSystem.FLY, flyUrl("rest"), LedgerAction.REMOVED, "started; destroyed by the rollback"),
            tuple(SiloSystem.FLY, flyUrl("auth"), LedgerAction.REMOVED, "started; destroyed by the rollback"),
            tuple(SiloSystem.FLY, flyUrl("kong"), LedgerAction.REMOVED, "started; destroyed by the rollback"),
            tuple(SiloSystem.FLY, flyUrl("storage"), LedgerAction.REMOVED, "started; destroyed by the rollback"),
            tuple(SiloSystem.FLY, flyUrl("studio"), LedgerAction.REMOVED,
                "its deploy failed; destroyed by the rollback"),
            tuple(SiloSystem.DATABASE, "migrations and API keys", LedgerAction.SKIPPED,
                "not attempted: the Fly apps did not all start"),
            tuple(SiloSystem.SERVICE_DESK, "silo status", LedgerAction.UPDATED, "error"),
            tuple(SiloSystem.SERVICE_DESK, "event error", LedgerAction.CREATED, report.failure()));
    assertThat(stepState(report, StepName.REPORT)).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void givenNetlifyBuildFailure_whenTheRunStops_itShouldListTheConfigurationAndTheFailedBuild() {
    doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
        FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());

    SiloReport report = approveAndAwait(silo.startRun(request()))
        .failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.NETLIFY
            || entry.system() == SiloSystem.SERVICE_DESK || entry.system() == SiloSystem.GIT)
        .extracting(LedgerEntry::system, LedgerEntry::item, LedgerEntry::action)
        .containsExactly(
            tuple(SiloSystem.GIT, "branch silo/acme-crm", LedgerAction.CREATED),
            tuple(SiloSystem.NETLIFY, "branch deploys of silo/acme-crm", LedgerAction.CREATED),
            tuple(SiloSystem.NETLIFY, "deploy deploy-silo-acme-crm (build build-5f1e)", LedgerAction.FAILED),
            tuple(SiloSystem.SERVICE_DESK, "silo status", LedgerAction.UPDATED),
            tuple(SiloSystem.SERVICE_DESK, "event error", LedgerAction.CREATED));
    assertThat(report.ledger()).filteredOn(entry -> entry.action() == LedgerAction.FAILED)
        .extracting(LedgerEntry::detail).singleElement().asString()
        .contains("triggered by this run", "non-zero exit code");
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.FLY).hasSize(7);
    assertThat(report.netlify()).isEqualTo(new SiloReport.NetlifyReport("silo/acme-crm", PREVIEW_URL, false, null));
    assertThat(report.connection()).isNotNull();
    assertThat(stepState(report, StepName.REPORT)).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void givenRunDeployingFlyApps_whenCancelled_itShouldListTheAppsRemovedAndTheCancelledEvent()
      throws InterruptedException {
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
    SiloRun run = approveAndAwait(silo.startRun(request()));
    try {
      assertThat(studioDeploying.await(20, TimeUnit.SECONDS)).as("studio deploy started").isTrue();
      run.awaitOnlyPendingActivity("AwaitMachine");
      run.stub.cancel("operator stopped the rollout");
      run.assertCancelled();
    } finally {
      releaseStudio.countDown();
    }

    SiloReport report = run.workflow.progress().report();

    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.FLY)
        .extracting(LedgerEntry::action)
        .containsExactly(LedgerAction.CREATED, LedgerAction.REMOVED, LedgerAction.REMOVED, LedgerAction.REMOVED,
            LedgerAction.REMOVED, LedgerAction.REMOVED, LedgerAction.REMOVED);
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.SERVICE_DESK)
        .extracting(LedgerEntry::item, LedgerEntry::action)
        .containsExactly(
            tuple("silo status", LedgerAction.UPDATED),
            tuple("event cancelled", LedgerAction.CREATED));
    assertThat(stepState(report, StepName.REPORT)).isEqualTo(StepState.SUCCEEDED);
  }

  private static SiloRun approveAndAwait(SiloRun run) {
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }

  private static List<Tuple> flyApps(LedgerAction action) {
    return SiloNames.FLY_SERVICES.stream().map(service -> tuple(SiloSystem.FLY, flyUrl(service), action)).toList();
  }

  @SafeVarargs
  private static List<Tuple> concat(List<Tuple>... parts) {
    return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
  }

  private static StepState stepState(SiloReport report, StepName step) {
    return report.steps().stream().filter(progress -> progress.step() == step).findFirst().orElseThrow().state();
  }

  private static String flyUrl(String service) {
    return "https://devenv-acme-crm-" + service + ".fly.dev";
  }
}
