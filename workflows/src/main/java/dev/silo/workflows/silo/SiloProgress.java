package dev.silo.workflows.silo;

import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.decision.PendingDecision;
import java.util.List;

/**
 * What {@code progress()} answers: everything a person following the run needs.
 *
 * @param workflowId the run's workflow ID
 * @param status where the deployment stands
 * @param currentStep the step running or waiting; while steps run side by side, the one waiting for
 *     a person, else the first running in the runbook's order ({@code steps} shows every one)
 * @param steps every step with state and timings
 * @param plan the plan, once built
 * @param pending the decision the run waits for, or null
 * @param degraded what the deployment goes on without
 * @param decisions every signal received
 * @param report the report, once the run has ended
 * @param planHash the hash of the plan ({@link dev.silo.workflows.signing.DecisionText#hash}) a
 *     signed decision names, once the plan is built; null before
 * @param failure the failed step the run waits on under guided failure ({@link OnFailure#ASK}), or
 *     null; {@code pending} then holds the question ({@code retryStep})
 */
public record SiloProgress(
    String workflowId,
    SiloStatus status,
    StepName currentStep,
    List<StepProgress> steps,
    SiloPlan plan,
    PendingDecision pending,
    List<DegradedItem> degraded,
    List<DecisionRecord> decisions,
    SiloReport report,
    String planHash,
    FailedStep failure) {

  /** Progress with no failed step waiting for a person. */
  public SiloProgress(String workflowId, SiloStatus status, StepName currentStep, List<StepProgress> steps,
      SiloPlan plan, PendingDecision pending, List<DegradedItem> degraded, List<DecisionRecord> decisions,
      SiloReport report, String planHash) {
    this(workflowId, status, currentStep, steps, plan, pending, degraded, decisions, report, planHash, null);
  }

  /** Progress without a plan hash (before the plan exists, or from a run recorded before it). */
  public SiloProgress(String workflowId, SiloStatus status, StepName currentStep, List<StepProgress> steps,
      SiloPlan plan, PendingDecision pending, List<DegradedItem> degraded, List<DecisionRecord> decisions,
      SiloReport report) {
    this(workflowId, status, currentStep, steps, plan, pending, degraded, decisions, report, null);
  }
}
