package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.TestTrust;
import dev.silo.workflows.decision.Decision;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code silo destroy}: the plan is shown first and says what happens to each system; a rejected or
 * unanswered plan removes nothing; an approved one leaves nothing of the silo but its branch (unless
 * asked) and Netlify (unless {@code --netlify}); a run that stopped part-way is resumed by starting it again.
 */
@Timeout(60)
class SiloTeardownWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloTeardownWorkflowImpl.class);

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final TeardownWorld world = new TeardownWorld();
  private final TestTrust trust = new TestTrust();
  private TestWorkflowEnvironment env;
  private String taskQueue;

  @BeforeEach
  void start(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.taskQueue = worker.getTaskQueue();
    env.newWorker(TaskQueues.DOCKER).registerActivitiesImplementations(world.docker);
    worker.registerActivitiesImplementations(world.onSiloQueue());
    worker.registerActivitiesImplementations(trust);
    env.start();
  }

  @Test
  void givenADeployedSilo_whenDestroyStarts_itShowsThePlanWithEveryChoiceBeforeRemovingAnything() {
    SiloTeardownWorkflow run = start(request(false));
    SiloProgress waiting = awaitApproval(run);

    TeardownPlan plan = run.plan();
    assertThat(plan.containers()).containsExactly("silo-acme-crm-db-1", "silo-acme-crm-rest-1");
    assertThat(plan.volumes()).containsExactly("silo-acme-crm_db-data");
    assertThat(plan.flyApps()).hasSize(6);
    assertThat(plan.flyOrgExists()).isTrue();
    assertThat(plan.deleteBranch()).isFalse();
    assertThat(String.join("\n", plan.choices()))
        .contains("the branch silo/acme-crm is KEPT")
        .contains("Netlify: left untouched. The branch deploy of silo/acme-crm and its 4 branch-context variables"
            + " stay as they are")
        .contains("the organization acme-crm is deleted once it holds no app")
        .contains("the schedule silo-check-acme-crm is deleted")
        .contains("Desk: status decommissioned");
    assertThat(waiting.planHash()).startsWith("sha256:");
    assertThat(waiting.pending().question()).contains("teardown of acme-crm").contains("branch kept");
    assertThat(world.containers).hasSize(2);
    assertThat(world.flyApps).hasSize(6);
  }

  @Test
  void givenThePlan_whenRejected_nothingIsRemoved() {
    SiloTeardownWorkflow run = start(request(false));
    awaitApproval(run);

    run.rejectUpdate(new Decision("bob", "not this one"));

    assertThatThrownBy(() -> WorkflowStub.fromTyped(run).getResult(TeardownReport.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(failure -> assertThat(type(failure)).isEqualTo(SiloTeardownWorkflow.ABORTED));
    assertNothingRemoved();
    assertThat(run.report().status()).isEqualTo(SiloStatus.ABORTED);
    assertThat(run.report().removed()).isEmpty();
  }

  @Test
  void givenThePlan_whenNobodyAnswersInTime_nothingIsRemoved() {
    SiloTeardownWorkflow run = start(new SiloTeardownRequest("acme", "crm", "alice",
        new ApprovalPolicy(List.of(), false, Duration.ofMinutes(5)), false));
    awaitApproval(run);

    env.sleep(Duration.ofMinutes(6));

    assertThatThrownBy(() -> WorkflowStub.fromTyped(run).getResult(TeardownReport.class))
        .satisfies(failure -> assertThat(type(failure)).isEqualTo(SiloTeardownWorkflow.ABORTED));
    assertNothingRemoved();
  }

  @Test
  void givenThePlan_whenTheRequesterApprovesTheirOwnTeardown_theUpdateIsRefused() {
    SiloTeardownWorkflow run = start(request(false));
    awaitApproval(run);

    assertThatThrownBy(() -> run.approveUpdate(new Decision("alice", "mine")))
        .isInstanceOf(WorkflowUpdateException.class)
        .hasStackTraceContaining("alice requested this run and may not approve it");
    assertThat(run.progress().pending()).isNotNull();
  }

  @Test
  void givenThePlan_whenApproved_everythingButTheBranchAndNetlifyIsGone() {
    SiloTeardownWorkflow run = start(request(false));
    awaitApproval(run);

    run.approveUpdate(new Decision("bob", "client left"));
    TeardownReport report = WorkflowStub.fromTyped(run).getResult(TeardownReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DESTROYED);
    assertThat(world.containers).isEmpty();
    assertThat(world.volumes).isEmpty();
    assertThat(world.flyApps).isEmpty();
    assertThat(world.flyOrgs).isEmpty();
    assertThat(world.schedules).isEmpty();
    assertThat(world.branches).contains("silo/acme-crm");
    assertThat(world.deskStatuses).endsWith("decommissioned");
    assertThat(world.deskEvents).endsWith("decommissioned");
    assertThat(world.siloStatus()).isEqualTo("decommissioned");
    assertThat(report.removed()).contains("container silo-acme-crm-db-1", "volume silo-acme-crm_db-data",
        "Fly app devenv-acme-crm-pg", "Fly organization acme-crm", "schedule silo-check-acme-crm");
    assertThat(report.kept()).anyMatch(line -> line.startsWith("branch silo/acme-crm: kept"))
        .anyMatch(line -> line.startsWith("Netlify: untouched (no --netlify)"));
    assertThat(run.progress().status()).isEqualTo(SiloStatus.DESTROYED);
    assertThat(world.netlifyBranches).contains("silo/acme-crm");
    assertThat(world.netlifyBranchVariables).containsOnlyKeys("silo/acme-crm");
  }

  @Test
  void givenNetlify_whenApproved_theBranchDeployAndItsVariablesGoAndThePlanSaidSo() {
    SiloTeardownWorkflow run = start(new SiloTeardownRequest("acme", "crm", "alice", ApprovalPolicy.defaults(), false,
        null, false, true, null));
    SiloProgress waiting = awaitApproval(run);
    assertThat(run.plan().netlify()).isTrue();
    assertThat(run.plan().choices()).contains("Netlify: the branch deploy of silo/acme-crm and its 4 branch"
        + " variables are removed (--netlify); the site's other branches and the variables' other values stay.");
    assertThat(waiting.pending().question()).contains("Netlify removed");
    assertThat(world.netlifyBranches).contains("silo/acme-crm");

    run.approveUpdate(new Decision("bob", null));
    TeardownReport report = WorkflowStub.fromTyped(run).getResult(TeardownReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DESTROYED);
    assertThat(world.netlifyBranches).containsExactly("main");
    assertThat(world.netlifyBranchVariables).isEmpty();
    assertThat(report.removed()).contains("Netlify branch deploy silo/acme-crm",
        "Netlify variable VITE_SUPABASE_ANON_KEY of silo/acme-crm");
    assertThat(report.kept()).noneMatch(line -> line.startsWith("Netlify"));
    assertThat(run.progress().steps()).anySatisfy(step -> {
      assertThat(step.step()).isEqualTo(StepName.NETLIFY);
      assertThat(step.state()).isEqualTo(StepState.SUCCEEDED);
    });
  }

  @Test
  void givenDeleteBranch_whenApproved_theBranchIsDeletedToo() {
    SiloTeardownWorkflow run = start(request(true));
    awaitApproval(run);
    assertThat(String.join("\n", run.plan().choices())).contains("the branch silo/acme-crm is DELETED");

    run.approveUpdate(new Decision("bob", null));
    WorkflowStub.fromTyped(run).getResult(TeardownReport.class);

    assertThat(world.branches).containsExactly("main");
  }

  @Test
  void givenAnotherAppInTheOrganization_whenApproved_theOrganizationIsKeptAndSaysWhy() {
    world.flyApps.put("someone-elses-app", "acme-crm");
    SiloTeardownWorkflow run = start(request(false));
    awaitApproval(run);

    run.approveUpdate(new Decision("bob", null));
    TeardownReport report = WorkflowStub.fromTyped(run).getResult(TeardownReport.class);

    assertThat(world.flyApps).containsOnlyKeys("someone-elses-app");
    assertThat(world.flyOrgs).containsExactly("acme-crm");
    assertThat(report.kept()).contains("Fly organization acme-crm: it still holds someone-elses-app");
  }

  @Test
  void givenATeardownThatStoppedPartWay_whenStartedAgain_itFinishesAndNothingIsRecordedTwice() {
    world.failingApps.add("devenv-acme-crm-kong");
    SiloTeardownWorkflow first = start(request(false));
    awaitApproval(first);
    first.approveUpdate(new Decision("bob", null));
    assertThatThrownBy(() -> WorkflowStub.fromTyped(first).getResult(TeardownReport.class))
        .satisfies(failure -> assertThat(type(failure)).isEqualTo(SiloTeardownWorkflow.FAILED));
    assertThat(world.containers).isEmpty();
    assertThat(world.flyApps).containsOnlyKeys("devenv-acme-crm-kong");
    assertThat(world.siloStatus()).isEqualTo("active");

    world.failingApps.clear();
    SiloTeardownWorkflow again = start(request(false));
    awaitApproval(again);
    assertThat(again.plan().containers()).isEmpty();
    assertThat(again.plan().flyApps()).containsExactly("devenv-acme-crm-kong");
    again.approveUpdate(new Decision("bob", null));
    TeardownReport report = WorkflowStub.fromTyped(again).getResult(TeardownReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DESTROYED);
    assertThat(world.flyApps).isEmpty();
    assertThat(world.flyOrgs).isEmpty();
    assertThat(world.deskEvents).containsExactly("provisioned", "decommissioned");
  }

  @Test
  void givenADestroyedSilo_whenDestroyedAgain_itIsRefusedInOneLine() {
    world.siloSection.put("silo", Map.of("silo_status", "decommissioned"));

    assertThatThrownBy(() -> WorkflowStub.fromTyped(start(request(false))).getResult(TeardownReport.class))
        .satisfies(failure -> {
          assertThat(type(failure)).isEqualTo(FailureType.INVALID_REQUEST.type());
          assertThat(message(failure)).isEqualTo("silo acme-crm is already decommissioned: nothing to destroy");
        });
    assertThat(world.deskEvents).containsExactly("provisioned");
  }

  @Test
  void givenASiloNeverDeployed_whenDestroyed_itIsRefusedInOneLine() {
    world.siloSection.clear();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(start(request(false))).getResult(TeardownReport.class))
        .satisfies(failure -> assertThat(message(failure))
            .isEqualTo("silo acme-crm was never deployed (the desk's application has no silo section): nothing to"
                + " destroy"));
    assertNothingRemoved();
  }

  @Test
  void givenTheDeploymentIsRunning_whenDestroyed_itIsRefusedInOneLine() {
    world.deploymentRunning = "run-1";

    assertThatThrownBy(() -> WorkflowStub.fromTyped(start(request(false))).getResult(TeardownReport.class))
        .satisfies(failure -> assertThat(message(failure)).isEqualTo("the deployment of acme-crm is running"
            + " (workflow silo-acme-crm, run run-1): destroy the silo once it has ended"));
    assertNothingRemoved();
  }

  private void assertNothingRemoved() {
    assertThat(world.containers).hasSize(2);
    assertThat(world.volumes).hasSize(1);
    assertThat(world.flyApps).hasSize(6);
    assertThat(world.flyOrgs).containsExactly("acme-crm");
    assertThat(world.branches).contains("silo/acme-crm");
    assertThat(world.schedules).containsExactly("silo-check-acme-crm");
    assertThat(world.deskEvents).containsExactly("provisioned");
  }

  private static SiloTeardownRequest request(boolean deleteBranch) {
    return new SiloTeardownRequest("acme", "crm", "alice", ApprovalPolicy.defaults(), deleteBranch);
  }

  private SiloTeardownWorkflow start(SiloTeardownRequest request) {
    SiloTeardownWorkflow run = env.getWorkflowClient().newWorkflowStub(SiloTeardownWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(request.names().destroyWorkflowId()).setTaskQueue(taskQueue)
            .build());
    WorkflowClient.start(run::destroy, request);
    return run;
  }

  private SiloProgress awaitApproval(SiloTeardownWorkflow run) {
    return await(run, progress -> progress.pending() != null && progress.status() == SiloStatus.AWAITING_APPROVAL);
  }

  private SiloProgress await(SiloTeardownWorkflow run, Predicate<SiloProgress> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    SiloProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = run.progress();
        if (condition.test(last)) {
          return last;
        }
      } catch (WorkflowException notReadyYet) {
        // The first workflow task has not run yet; the query is answered once it has.
      }
      env.sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("the teardown never waited for approval; last progress: " + last);
  }

  private static ApplicationFailure applicationFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApplicationFailure application) {
        return application;
      }
    }
    throw new AssertionError("no ApplicationFailure in " + failure);
  }

  private static String type(Throwable failure) {
    return applicationFailure(failure).getType();
  }

  private static String message(Throwable failure) {
    return applicationFailure(failure).getOriginalMessage();
  }
}
