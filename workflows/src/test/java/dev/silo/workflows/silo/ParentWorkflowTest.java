package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.REQUESTER;
import static dev.silo.workflows.silo.SiloFixture.WORKFLOW_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.examples.ClientOnboardingWorkflow;
import dev.silo.workflows.examples.ClientOnboardingWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Another workflow starts a silo deployment as its child ({@link ClientOnboardingWorkflowImpl}, the
 * README's example), forwards every approval until one is accepted, and gets the report in every
 * outcome; a parent that picks another workflow ID for the child is refused.
 */
@Timeout(30)
class ParentWorkflowTest {

  /** A parent that starts the deployment under an ID of its own choosing. */
  @WorkflowInterface
  public interface SiloUnderAnotherIdWorkflow {

    @WorkflowMethod
    SiloReport deploy(SiloDeploymentRequest request);
  }

  public static class SiloUnderAnotherIdWorkflowImpl implements SiloUnderAnotherIdWorkflow {

    @Override
    public SiloReport deploy(SiloDeploymentRequest request) {
      SiloDeploymentWorkflow silo = Workflow.newChildWorkflowStub(SiloDeploymentWorkflow.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId(OTHER_CHILD_ID).build());
      return silo.deploy(request);
    }
  }

  private static final String OTHER_CHILD_ID = "onboard-acme-crm-silo";

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class, ClientOnboardingWorkflowImpl.class,
          SiloUnderAnotherIdWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenParentWorkflow_whenItStartsTheSiloAsChildAndForwardsTheApproval_itShouldReceiveTheDeployedReport() {
    ClientOnboardingWorkflow parent = onboarding();
    WorkflowClient.start(parent::onboard, SiloFixture.request());

    SiloProgress child = SiloRun.follow(silo.env(), WORKFLOW_ID).awaitDecision(SiloDeploymentWorkflow.APPROVE);
    assertThat(child.plan().siloId()).isEqualTo("acme-crm");
    parent.approveSilo(new Decision(APPROVER, "approved through the onboarding workflow"));
    SiloReport report = WorkflowStub.fromTyped(parent).getResult(SiloReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.workflowId()).isEqualTo(WORKFLOW_ID);
    assertThat(report.netlify().previewUrl()).isEqualTo(SiloFixture.PREVIEW_URL);
    assertThat(report.flyApps()).hasSize(SiloNames.FLY_SERVICES.size())
        .allSatisfy(app -> assertThat(app.state()).isEqualTo("started"));
    assertThat(report.decisions()).extracting(DecisionRecord::actor, DecisionRecord::accepted)
        .containsExactly(tuple(APPROVER, true));
  }

  @Test
  void givenParentWorkflow_whenApprovalsComeBeforeThePlanAndFromTheRequester_itShouldForwardEachUntilTheChildDeploys() {
    // The child's config loads only once the early approval has reached it, so that approval
    // arrives before the plan is published whatever the machine's speed.
    CountDownLatch earlyApprovalSeen = new CountDownLatch(1);
    doAnswer(call -> {
      if (!earlyApprovalSeen.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the early approval never reached the child");
      }
      return SiloFixture.config();
    }).when(silo.config).loadSiloConfig(any());
    ClientOnboardingWorkflow parent = onboarding();
    WorkflowClient.start(parent::onboard, SiloFixture.request());
    SiloRun child = SiloRun.follow(silo.env(), WORKFLOW_ID);

    parent.approveSilo(new Decision(APPROVER, "approved before reading the plan"));
    child.awaitProgress(progress -> !progress.decisions().isEmpty(), "the early approval, recorded");
    earlyApprovalSeen.countDown();
    child.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    parent.approveSilo(new Decision(REQUESTER, "approving my own run"));
    parent.approveSilo(new Decision(APPROVER, "approved after reading the plan"));
    SiloReport report = WorkflowStub.fromTyped(parent).getResult(SiloReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.decisions()).extracting(DecisionRecord::actor, DecisionRecord::accepted, DecisionRecord::note)
        .containsExactly(
            tuple(APPROVER, false, "ignored: the plan is not published yet; review it with 'silo status' and approve then"),
            tuple(REQUESTER, false, "ignored: " + REQUESTER + " requested this run and may not approve it"),
            tuple(APPROVER, true, "plan approved"));
  }

  @Test
  void givenParentWorkflow_whenTheChildFailsAtNetlify_itShouldReadTheErrorReportFromTheFailureDetails() {
    doThrow(ApplicationFailure.newNonRetryableFailure("Build script returned non-zero exit code: 2",
        FailureType.DEPLOY_FAILED.type())).when(silo.netlify).awaitDeploy(any());
    ClientOnboardingWorkflow parent = onboarding();
    WorkflowClient.start(parent::onboard, SiloFixture.request());

    SiloRun.follow(silo.env(), WORKFLOW_ID).awaitDecision(SiloDeploymentWorkflow.APPROVE);
    parent.approveSilo(new Decision(APPROVER, "approved through the onboarding workflow"));
    SiloReport report = WorkflowStub.fromTyped(parent).getResult(SiloReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.workflowId()).isEqualTo(WORKFLOW_ID);
    assertThat(report.failure()).contains("non-zero exit code");
    assertThat(report.flyApps()).hasSize(SiloNames.FLY_SERVICES.size());
  }

  @Test
  void givenParentWorkflow_whenNobodyApprovesTheChildInTime_itShouldReadTheAbortedReportFromTheFailureDetails() {
    ClientOnboardingWorkflow parent = onboarding();
    WorkflowClient.start(parent::onboard, SiloFixture.request(
        new ApprovalPolicy(List.of(APPROVER), false, Duration.ofMinutes(10))));

    SiloReport report = WorkflowStub.fromTyped(parent).getResult(SiloReport.class);

    assertThat(report.status()).isEqualTo(SiloStatus.ABORTED);
    assertThat(report.failure()).contains("not approved within");
    verifyNoInteractions(silo.docker, silo.fly, silo.git);
    verify(silo.netlify, never()).configureBranchDeploy(any());
    verify(silo.netlify, never()).buildBranch(any());
  }

  @Test
  void givenParentWorkflow_whenItStartsTheSiloUnderAnotherWorkflowId_itShouldFailWithInvalidRequestBeforeAnyActivity() {
    SiloUnderAnotherIdWorkflow parent = silo.env().getWorkflowClient().newWorkflowStub(
        SiloUnderAnotherIdWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("onboard-acme-crm").setTaskQueue(silo.taskQueue()).build());

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> parent.deploy(SiloFixture.request()));

    assertThat(failed).as("the parent should fail with its child").isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ChildWorkflowFailure.class);
    assertThat(failed.getCause().getCause()).isInstanceOfSatisfying(ApplicationFailure.class, refusal -> {
      assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
      assertThat(refusal.isNonRetryable()).isTrue();
      assertThat(refusal.getOriginalMessage()).contains("'" + OTHER_CHILD_ID + "'", "'" + WORKFLOW_ID + "'");
    });
    verifyNoInteractions(silo.config, silo.desk, silo.docker, silo.fly, silo.database, silo.git, silo.netlify);
  }

  @Test
  void givenParentWorkflow_whenItAsksForAClientHoldingAHyphen_itShouldFailWithInvalidRequestBeforeAnyActivity() {
    ClientOnboardingWorkflow parent = onboarding();
    SiloDeploymentRequest request =
        new SiloDeploymentRequest("acme-sig", "a", REQUESTER, "/srv/silo/config/silos", ApprovalPolicy.defaults(), null);

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> parent.onboard(request));

    assertThat(failed).as("the parent should fail with its child").isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ChildWorkflowFailure.class);
    assertThat(failed.getCause().getCause()).isInstanceOfSatisfying(ApplicationFailure.class, refusal -> {
      assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
      assertThat(refusal.isNonRetryable()).isTrue();
      assertThat(refusal.getOriginalMessage()).isEqualTo("invalid silo name: client 'acme-sig' may not contain '-':"
          + " the silo ID acme-sig-a would also be that of client 'acme', app 'sig-a'");
    });
    verifyNoInteractions(silo.config, silo.desk, silo.docker, silo.fly, silo.database, silo.git, silo.netlify);
  }

  private ClientOnboardingWorkflow onboarding() {
    return silo.env().getWorkflowClient().newWorkflowStub(ClientOnboardingWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("onboard-acme-crm").setTaskQueue(silo.taskQueue()).build());
  }
}
