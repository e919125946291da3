package dev.silo.workflows.examples;

import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A workflow that provisions a client's silo as one step of its own work. */
@WorkflowInterface
public interface ClientOnboardingWorkflow {

  /** Deploys the client's silo as a child; returns its report whether it deployed, failed or was aborted. */
  @WorkflowMethod
  SiloReport onboard(SiloDeploymentRequest request);

  /**
   * A person's approval of the silo's plan, forwarded to the child; every one is, while the child
   * runs. The child ignores an approval sent before its plan is published (the parent cannot approve
   * blindly at start) or from someone who may not approve it, and goes on waiting for a valid one.
   */
  @SignalMethod
  void approveSilo(Decision decision);
}
