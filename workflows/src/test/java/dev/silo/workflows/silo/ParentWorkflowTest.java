package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.WORKFLOW_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Another workflow starts a silo deployment as its child, forwards the approval, and gets the report. */
@Timeout(30)
class ParentWorkflowTest {

  /** A workflow that provisions a silo as one step of its own work. */
  @WorkflowInterface
  public interface ClientOnboardingWorkflow {

    @WorkflowMethod
    SiloReport onboard(SiloDeploymentRequest request);

    /**
     * A person's approval of the child's plan, forwarded to the child. The child ignores an approval
     * sent before its plan is published, so the parent cannot approve blindly at start.
     */
    @SignalMethod
    void approveSilo(Decision decision);
  }

  public static class ClientOnboardingWorkflowImpl implements ClientOnboardingWorkflow {

    private Decision approval;

    @Override
    public SiloReport onboard(SiloDeploymentRequest request) {
      SiloDeploymentWorkflow silo = Workflow.newChildWorkflowStub(SiloDeploymentWorkflow.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId(request.names().workflowId()).build());
      Promise<SiloReport> report = Async.function(silo::deploy, request);
      Workflow.getWorkflowExecution(silo).get();
      Workflow.await(() -> approval != null);
      silo.approve(approval);
      return report.get();
    }

    @Override
    public void approveSilo(Decision decision) {
      approval = decision;
    }
  }

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class, ClientOnboardingWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenParentWorkflow_whenItStartsTheSiloAsChildAndForwardsTheApproval_itShouldReceiveTheDeployedReport() {
    ClientOnboardingWorkflow parent = silo.env().getWorkflowClient().newWorkflowStub(ClientOnboardingWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("onboard-acme-crm").setTaskQueue(silo.taskQueue()).build());
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
}
