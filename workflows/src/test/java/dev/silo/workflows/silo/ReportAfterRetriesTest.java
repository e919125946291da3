package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.BASE_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.BRANCH;
import static dev.silo.workflows.silo.SiloFixture.FOREIGN_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.PushBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifySite;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the report says about things a retry or a rollback met in a state this run left them in:
 * the report names what the run did, not what the last attempt happened to find.
 *
 * <p>The mocks answer as the real activities do: {@code destroyApp} answers {@code alreadyGone}
 * for an app Fly does not have, and a {@code pushBranch} retried after its first attempt pushed
 * finds the branch at the base commit and answers {@code ALREADY_AT_COMMIT}.
 */
@Timeout(30)
class ReportAfterRetriesTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenAnAppWhoseCreateFlyRefused_whenTheRunRollsBack_itShouldReportItNotCreatedRatherThanDestroyed() {
    doThrow(ApplicationFailure.newNonRetryableFailure("Fly refused Apps_create (HTTP 422): name is invalid",
        FailureType.VENDOR_REJECTED.type()))
        .when(silo.fly).createApp(argThat(request -> flyApp("kong").equals(request.appName())));
    // Fly never had kong, so the rollback's destroy finds it gone, as the real activity answers.
    doAnswer(call -> {
      String app = call.<DestroyFlyAppRequest>getArgument(0).appName();
      return new FlyAppDestroyed(app, app.equals(flyApp("kong")));
    }).when(silo.fly).destroyApp(any());

    SiloReport report = approveAndAwait(silo.startRun(request()))
        .failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.flyApps())
        .extracting(SiloReport.FlyAppReport::appName, SiloReport.FlyAppReport::state,
            SiloReport.FlyAppReport::createdByThisRun)
        .containsExactly(
            tuple(flyApp("pg"), "destroyed", true),
            tuple(flyApp("rest"), "destroyed", true),
            tuple(flyApp("auth"), "destroyed", true),
            tuple(flyApp("kong"), "not created", false),
            tuple(flyApp("storage"), "destroyed", true),
            tuple(flyApp("studio"), "destroyed", true));
    assertThat(report.ledger()).filteredOn(entry -> entry.item().equals("https://devenv-acme-crm-kong.fly.dev"))
        .extracting(LedgerEntry::action)
        .containsExactly(LedgerAction.FAILED);
    assertThat(report.ledger()).filteredOn(entry -> entry.action() == LedgerAction.REMOVED).hasSize(5);
  }

  @Test
  void givenAnAppWhoseCreateAnsweredButWhoseDeployFailed_whenTheRollbackFindsItGone_itShouldStillReportItDestroyed() {
    // The create answered, so the app stood; a destroy whose own first answer was lost finds it gone.
    doThrow(ApplicationFailure.newNonRetryableFailure("machine 3d8d9e ended failed instead of starting",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    doAnswer(call -> new FlyAppDestroyed(call.<DestroyFlyAppRequest>getArgument(0).appName(), true))
        .when(silo.fly).destroyApp(any());

    SiloReport report = approveAndAwait(silo.startRun(request()))
        .failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    assertThat(report.flyApps()).extracting(SiloReport.FlyAppReport::state).containsOnly("destroyed");
  }

  @Test
  void givenAPushWhoseAnswerWasLost_whenItsRetryFindsTheBranchAtTheCommit_itShouldReportTheBranchCreated() {
    AtomicInteger attempts = new AtomicInteger();
    doAnswer(call -> {
      PushBranchRequest push = call.getArgument(0);
      if (attempts.incrementAndGet() == 1) {
        // The push reached the remote; the connection broke before the answer came back.
        throw ApplicationFailure.newFailure("connection reset after the push", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new BranchResult(push.branch(), BASE_COMMIT, BASE_COMMIT, BranchOutcome.ALREADY_AT_COMMIT);
    }).when(silo.git).pushBranch(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    verify(silo.git, times(2)).pushBranch(any());
    assertThat(report.branch()).isEqualTo(new SiloReport.BranchReport(BRANCH, BASE_COMMIT, "CREATED"));
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.GIT)
        .extracting(LedgerEntry::action)
        .containsExactly(LedgerAction.CREATED);
  }

  @Test
  void givenAConfirmedOverwriteWhoseAnswerWasLost_whenItsRetryFindsTheBranchAtTheCommit_itShouldReportItOverwritten() {
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    AtomicInteger attempts = new AtomicInteger();
    doAnswer(call -> {
      PushBranchRequest push = call.getArgument(0);
      if (attempts.incrementAndGet() == 1) {
        throw ApplicationFailure.newFailure("connection reset after the push", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new BranchResult(push.branch(), BASE_COMMIT, BASE_COMMIT, BranchOutcome.ALREADY_AT_COMMIT);
    }).when(silo.git).pushBranch(any());
    SiloRun run = approveAndAwait(silo.startRun(request()));
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);

    run.workflow.confirmBranchOverwrite(new Decision(APPROVER, "the old branch is a leftover"));
    SiloReport report = run.deployed();

    assertThat(report.branch()).isEqualTo(new SiloReport.BranchReport(BRANCH, BASE_COMMIT, "OVERWRITTEN"));
    assertThat(report.ledger()).filteredOn(entry -> entry.system() == SiloSystem.GIT)
        .extracting(LedgerEntry::action, LedgerEntry::detail)
        .containsExactly(tuple(LedgerAction.UPDATED, "at " + BASE_COMMIT + ", force-pushed over " + FOREIGN_COMMIT));
  }

  @Test
  void givenABranchAlreadyAtTheCommitBeforeTheRun_whenPushed_itShouldStillReportItAlreadyThere() {
    doReturn(new BranchStatus(BRANCH, true, BASE_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    doAnswer(call -> new BranchResult(BRANCH, BASE_COMMIT, BASE_COMMIT, BranchOutcome.ALREADY_AT_COMMIT))
        .when(silo.git).pushBranch(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    assertThat(report.branch()).isEqualTo(new SiloReport.BranchReport(BRANCH, BASE_COMMIT, "ALREADY_AT_COMMIT"));
  }

  @Test
  void givenAnOrganizationWhoseCreateAnswerWasLost_whenItsRetryFindsIt_itShouldReportItCreatedByThisRun() {
    // The look-up before any create found no organization; the create's retry found the one its
    // first attempt made and answered "exists".
    doAnswer(call -> new FlyOrganization(call.<EnsureOrganizationRequest>getArgument(0).slug(), "org-acme-crm", false))
        .when(silo.fly).ensureOrganization(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    assertThat(report.ledger()).filteredOn(entry -> entry.item().equals("organization acme-crm"))
        .extracting(LedgerEntry::action)
        .containsExactly(LedgerAction.CREATED);
  }

  @Test
  void givenAnOrganizationThatExistedBeforeTheRun_whenEnsured_itShouldStillReportItFound() {
    doAnswer(call -> new FlyAppsFound(List.of(), true)).when(silo.fly).findApps(any());
    doAnswer(call -> new FlyOrganization(call.<EnsureOrganizationRequest>getArgument(0).slug(), "org-acme-crm", false))
        .when(silo.fly).ensureOrganization(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    assertThat(report.ledger()).filteredOn(entry -> entry.item().equals("organization acme-crm"))
        .extracting(LedgerEntry::action)
        .containsExactly(LedgerAction.FOUND);
  }

  @Test
  void givenABranchConfigurationWhoseAnswerWasLost_whenItsRetryFindsItDone_itShouldReportItCreatedByThisRun() {
    doAnswer(call -> new NetlifyBranchConfig("site-acme-crm-web",
        call.<ConfigureBranchDeployRequest>getArgument(0).branch(), true, SiloFixture.PREVIEW_URL))
        .when(silo.netlify).configureBranchDeploy(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    verify(silo.netlify).describeSite(argThat(site -> BRANCH.equals(site.branch())));
    assertThat(report.ledger()).filteredOn(entry -> entry.item().equals("branch deploys of " + BRANCH))
        .extracting(LedgerEntry::action)
        .containsExactly(LedgerAction.CREATED);
  }

  @Test
  void givenABranchConfiguredBeforeTheRun_whenConfigured_itShouldStillReportItFound() {
    silo.branchConfiguredBefore();
    doAnswer(call -> new NetlifyBranchConfig("site-acme-crm-web",
        call.<ConfigureBranchDeployRequest>getArgument(0).branch(), true, SiloFixture.PREVIEW_URL))
        .when(silo.netlify).configureBranchDeploy(any());

    SiloReport report = approveAndAwait(silo.startRun(request())).deployed();

    assertThat(report.ledger()).filteredOn(entry -> entry.item().equals("branch deploys of " + BRANCH))
        .extracting(LedgerEntry::action)
        .containsExactly(LedgerAction.FOUND);
  }

  private static SiloRun approveAndAwait(SiloRun run) {
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    return run;
  }
}
