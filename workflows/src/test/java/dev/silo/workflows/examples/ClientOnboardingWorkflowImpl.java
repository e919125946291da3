package dev.silo.workflows.examples;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.silo.Decision;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.Set;

public class ClientOnboardingWorkflowImpl implements ClientOnboardingWorkflow {

  /** The silo's failures whose details hold its report: ERROR, and ABORTED (rejected or timed out). */
  private static final Set<String> REPORTED_FAILURES = Set.of(
      FailureType.SILO_DEPLOYMENT_FAILED.type(), FailureType.SILO_DEPLOYMENT_ABORTED.type());

  private Decision approval;

  @Override
  public SiloReport onboard(SiloDeploymentRequest request) {
    SiloDeploymentWorkflow silo = Workflow.newChildWorkflowStub(SiloDeploymentWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            // The only ID the deployment accepts (silo-{client}-{app}); any other fails with INVALID_REQUEST.
            .setWorkflowId(request.names().workflowId())
            .build());
    Promise<SiloReport> deployed = Async.function(silo::deploy, request);
    Workflow.getWorkflowExecution(silo).get();

    // Forward the approval when it comes, unless the silo ended first (config refused, approval timed out).
    Workflow.await(() -> approval != null || deployed.isCompleted());
    if (!deployed.isCompleted()) {
      silo.approve(approval);
    }
    try {
      return deployed.get();
    } catch (ChildWorkflowFailure failure) {
      if (failure.getCause() instanceof ApplicationFailure cause && REPORTED_FAILURES.contains(cause.getType())) {
        // What the silo created, found, undid and why it stopped: the onboarding goes on from there.
        return cause.getDetails().get(SiloReport.class);
      }
      throw failure;
    }
  }

  @Override
  public void approveSilo(Decision decision) {
    approval = decision;
  }
}
