package dev.silo.workflows.release;

import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockGrant;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Deploys a version to one environment, as the deployment-orchestrator runbook orders it: wait for
 * the environment (one deployment per project and environment at a time, first come first served),
 * pre-flight, the approval gate, backup, migrations, schema checks, functions, RLS policies and
 * per-role tests, health checks and the watch window; a failure after anything changed, or a
 * trigger in the watch window, runs the rollback and marks the version bad. A watch window that
 * cannot read its metrics waits for a person ({@link EnvironmentStatus#AWAITING_DECISION}).
 *
 * <p>Workflow ID {@link #workflowId(String, String)}, started as a child of {@link
 * ReleasePipelineWorkflow}. It completes with the report when the version is deployed and watched;
 * otherwise it fails with an {@code ApplicationFailure} of type {@code ENVIRONMENT_DEPLOYMENT_FAILED}
 * whose details hold the same report.
 */
@WorkflowInterface
public interface EnvironmentDeploymentWorkflow {

  /** Signal names, as typed in the Web UI's signal dialog. */
  String APPROVE = "approve";

  String REJECT = "reject";

  /** The workflow ID of a pipeline's deployment to one environment. */
  static String workflowId(String pipelineWorkflowId, String environment) {
    return pipelineWorkflowId + "-" + environment;
  }

  @WorkflowMethod
  EnvironmentReport deploy(EnvironmentDeploymentRequest request);

  /**
   * Approves, when the actor is a named approver other than the requester; recorded either way.
   * While the watch window waits for a person after inconclusive readings, accepts the version
   * instead (only a named approver may, when the environment names any).
   */
  @SignalMethod(name = APPROVE)
  void approve(Decision decision);

  /**
   * Rejects, when the actor is a named approver; the deployment ends REJECTED before any change.
   * While the watch window waits for a person after inconclusive readings, rolls the version back
   * instead.
   */
  @SignalMethod(name = REJECT)
  void reject(Decision decision);

  /**
   * {@link #approve} as an Update: the validator refuses, with the reason and nothing recorded, a
   * decision that would be ignored (no gate open, not a named approver, the requester's key,
   * already approved, a signature that does not verify or was made over another run or plan).
   */
  @UpdateMethod(name = APPROVE)
  DecisionRecord approveUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = APPROVE)
  void validateApprove(Decision decision);

  /** {@link #reject} as an Update, validated as {@link #approveUpdate}. */
  @UpdateMethod(name = REJECT)
  DecisionRecord rejectUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = REJECT)
  void validateReject(Decision decision);

  /** Sent by the environment's lock when this deployment holds the environment. */
  @SignalMethod(name = EnvironmentLockWorkflow.GRANTED)
  void lockGranted(LockGrant grant);

  /** Stage, steps, pending approval, the queue position and, at the end, the report. */
  @QueryMethod
  EnvironmentProgress progress();
}
