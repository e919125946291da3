package dev.silo.workflows.examples;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;

public class ClientOnboardingWorkflowImpl implements ClientOnboardingWorkflow {

  /** The silo's failures whose details hold its report: ERROR, and ABORTED (rejected or timed out). */
  private static final Set<String> REPORTED_FAILURES = Set.of(
      FailureType.SILO_DEPLOYMENT_FAILED.type(), FailureType.SILO_DEPLOYMENT_ABORTED.type());

  /** Approvals received and not forwarded yet, in the order people sent them. */
  private final Queue<Decision> approvals = new ArrayDeque<>();

  @Override
  public SiloReport onboard(SiloDeploymentRequest request) {
    SiloDeploymentWorkflow silo = Workflow.newChildWorkflowStub(SiloDeploymentWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            // The only ID the deployment accepts (silo-{client}-{app}); any other fails with INVALID_REQUEST.
            .setWorkflowId(request.names().workflowId())
            .build());
    Promise<SiloReport> deployed = Async.function(silo::deploy, request);
    Workflow.getWorkflowExecution(silo).get();

    // Forward every approval until the silo ends: it ignores one sent before its plan is published,
    // or from someone who may not approve it, and then waits for another.
    while (true) {
      Workflow.await(() -> !approvals.isEmpty() || deployed.isCompleted());
      if (deployed.isCompleted()) {
        break;
      }
      try {
        silo.approve(approvals.remove());
      } catch (SignalExternalWorkflowException ended) {
        // The silo ended (deployed, failed, aborted) after the check; its result below says how.
        break;
      }
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
    approvals.add(decision);
  }
}
