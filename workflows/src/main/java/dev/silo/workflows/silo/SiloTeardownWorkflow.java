package dev.silo.workflows.silo;

import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Tears a deployed silo down ({@code silo destroy}) after a person approves its plan, under the same
 * decision rules as a deployment: its containers and their volumes, its Fly apps and the
 * organization when that is left empty, its drift-check schedule; the desk records it {@code
 * decommissioned}. The Git branch is kept unless the request says otherwise; Netlify is never
 * reconfigured. Every removal treats absent as done, so a run that stopped part-way is resumed by
 * starting it again, and the silo can be deployed again afterwards.
 *
 * <p>Workflow ID {@code silo-destroy-{client}-{app}} ({@link SiloNames#destroyWorkflowId()}). The
 * run is refused ({@code INVALID_REQUEST}) for a silo the desk does not record as deployed and while
 * the silo's deployment run is open. It completes with the report when the silo is gone; it fails
 * with {@value #ABORTED} (rejected, approval timed out: nothing removed) or {@value #FAILED} whose
 * details hold the same report.
 */
@WorkflowInterface
public interface SiloTeardownWorkflow {

  /** The failure type of a teardown rejected or not approved in time. */
  String ABORTED = "SILO_TEARDOWN_ABORTED";

  /** The failure type of a teardown whose removal failed. */
  String FAILED = "SILO_TEARDOWN_FAILED";

  @WorkflowMethod
  TeardownReport destroy(SiloTeardownRequest request);

  /** Approves the plan. Ignored, and recorded as ignored, when the actor may not approve. */
  @SignalMethod(name = SiloDeploymentWorkflow.APPROVE)
  void approve(Decision decision);

  /** Rejects the plan: the run ends ABORTED and nothing is removed. */
  @SignalMethod(name = SiloDeploymentWorkflow.REJECT)
  void reject(Decision decision);

  /** Approves the plan as an Update, validated as the deployment's {@code approve} Update is. */
  @UpdateMethod(name = SiloDeploymentWorkflow.APPROVE)
  DecisionRecord approveUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = SiloDeploymentWorkflow.APPROVE)
  void validateApprove(Decision decision);

  /** {@link #reject} as an Update. */
  @UpdateMethod(name = SiloDeploymentWorkflow.REJECT)
  DecisionRecord rejectUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = SiloDeploymentWorkflow.REJECT)
  void validateReject(Decision decision);

  /**
   * The steps with their state, the pending decision, the plan's hash and the decisions, in the
   * deployment's shape so that {@code silo approve --destroy} reads it as it reads a deployment's.
   * Its {@code plan} is null: the teardown's plan is {@link #plan()}.
   */
  @QueryMethod
  SiloProgress progress();

  /** The teardown's plan; null until it is built. */
  @QueryMethod(name = "teardownPlan")
  TeardownPlan plan();

  /** The report; null until the run ends. */
  @QueryMethod(name = "teardownReport")
  TeardownReport report();
}
