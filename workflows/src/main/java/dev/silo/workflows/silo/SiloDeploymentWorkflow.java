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
 * Provisions one silo from its config directory, as the silo-deployer runbook describes: validate
 * and wait for a human's approval, containers, Fly organization and apps with migrations and keys,
 * the Git branch, the one-time Netlify branch deploy, the Service Desk records, the final report.
 *
 * <p>Workflow ID {@code silo-{client}-{app}} ({@link SiloNames#workflowId()}): one deployment per
 * silo at a time. A run under any other ID (a parent choosing its child's ID, say) fails at once
 * with a non-retryable {@code INVALID_REQUEST} naming both IDs. The run completes with the report when the silo is deployed; it fails with an
 * {@code ApplicationFailure} of type {@code SILO_DEPLOYMENT_ABORTED} (rejected, approval timed out)
 * or {@code SILO_DEPLOYMENT_FAILED} (error) whose details hold the same report.
 */
@WorkflowInterface
public interface SiloDeploymentWorkflow {

  /** Signal names, as typed in the Web UI's signal dialog. */
  String APPROVE = "approve";
  String REJECT = "reject";
  String CONFIRM_BRANCH_OVERWRITE = "confirmBranchOverwrite";
  String RETRY_DESK = "retryDesk";
  /** Guided failure ({@link OnFailure#ASK}): run the failed step again. */
  String RETRY_STEP = "retryStep";
  /** Guided failure: go on without the failed step; only the containers (DOCKER) may be skipped. */
  String SKIP_STEP = "skipStep";
  /** Guided failure: end the run as a failed step ends it without guided failure (saga, desk error). */
  String ABORT_STEP = "abortStep";

  @WorkflowMethod
  SiloReport deploy(SiloDeploymentRequest request);

  /** Approves the plan. Ignored, and recorded as ignored, when the actor may not approve. */
  @SignalMethod(name = APPROVE)
  void approve(Decision decision);

  /**
   * Rejects the plan while approval is pending (the run ends ABORTED), or declines a pending branch
   * overwrite (the run ends in ERROR without touching the branch).
   */
  @SignalMethod(name = REJECT)
  void reject(Decision decision);

  /** Allows force-pushing the silo branch, which exists at another commit. */
  @SignalMethod(name = CONFIRM_BRANCH_OVERWRITE)
  void confirmBranchOverwrite(Decision decision);

  /**
   * Runs the Service Desk updates again after they failed three times: the records of a deployed,
   * failed, aborted or cancelled run alike, re-sent as one set with the same idempotency keys.
   */
  @SignalMethod(name = RETRY_DESK)
  void retryDesk(Decision decision);

  /**
   * Approves the plan as an Update: the validator refuses, with the reason and nothing recorded, a
   * decision that may not take effect (nothing waiting for it, not an allowed approver, the
   * requester's own key, already decided, a signature that does not verify or was made over another
   * run or plan). Returns the entry recorded.
   */
  @UpdateMethod(name = APPROVE)
  DecisionRecord approveUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = APPROVE)
  void validateApprove(Decision decision);

  /** {@link #reject} as an Update, under the same validation as {@link #approveUpdate}. */
  @UpdateMethod(name = REJECT)
  DecisionRecord rejectUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = REJECT)
  void validateReject(Decision decision);

  /** {@link #confirmBranchOverwrite} as an Update, validated as {@link #approveUpdate}. */
  @UpdateMethod(name = CONFIRM_BRANCH_OVERWRITE)
  DecisionRecord confirmBranchOverwriteUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = CONFIRM_BRANCH_OVERWRITE)
  void validateConfirmBranchOverwrite(Decision decision);

  /** {@link #retryDesk} as an Update, validated as {@link #approveUpdate}. */
  @UpdateMethod(name = RETRY_DESK)
  DecisionRecord retryDeskUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = RETRY_DESK)
  void validateRetryDesk(Decision decision);

  /**
   * Guided failure: runs the step that failed after its retries again. Ignored, and recorded as
   * ignored, when no step waits or the actor may not decide (the approvers' rules).
   */
  @SignalMethod(name = RETRY_STEP)
  void retryStep(Decision decision);

  /** Guided failure: goes on without the failed step, where the runbook allows it (DOCKER only). */
  @SignalMethod(name = SKIP_STEP)
  void skipStep(Decision decision);

  /** Guided failure: ends the run at the failed step, the rollback and the desk's error as without it. */
  @SignalMethod(name = ABORT_STEP)
  void abortStep(Decision decision);

  /** {@link #retryStep} as an Update, validated as {@link #approveUpdate}. */
  @UpdateMethod(name = RETRY_STEP)
  DecisionRecord retryStepUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = RETRY_STEP)
  void validateRetryStep(Decision decision);

  /**
   * {@link #skipStep} as an Update, validated as {@link #approveUpdate}; also refused, with the
   * reason, for a step the runbook does not let the run go on without.
   */
  @UpdateMethod(name = SKIP_STEP)
  DecisionRecord skipStepUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = SKIP_STEP)
  void validateSkipStep(Decision decision);

  /** {@link #abortStep} as an Update, validated as {@link #rejectUpdate}: the requester may stop their run. */
  @UpdateMethod(name = ABORT_STEP)
  DecisionRecord abortStepUpdate(Decision decision);

  @UpdateValidatorMethod(updateName = ABORT_STEP)
  void validateAbortStep(Decision decision);

  /** Steps with their state and timings, the plan, the pending decision, degraded items, the report. */
  @QueryMethod
  SiloProgress progress();
}
