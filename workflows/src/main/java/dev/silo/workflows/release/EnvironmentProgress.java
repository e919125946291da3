package dev.silo.workflows.release;

import dev.silo.workflows.decision.DecisionRecord;
import java.util.List;

/**
 * A deployment to one environment as {@code silo release status} and the Web UI show it.
 *
 * @param project the project
 * @param environment the environment
 * @param version the version
 * @param workflowId this deployment's workflow ID
 * @param status where it is
 * @param stage the stage running, or null
 * @param waitingOn while {@link EnvironmentStatus#WAITING_FOR_LOCK}, the lock's workflow ID; the
 *     lock's {@code queue} query tells who holds it
 * @param approval the approval gate while it waits, or null
 * @param steps the steps run so far
 * @param decisions every approval or rejection received
 * @param report the report, once the deployment has ended
 * @param decision while {@link EnvironmentStatus#AWAITING_DECISION}, what the watch window read and
 *     who may decide; null otherwise
 * @param planHash the hash of what the approval gate asks people to approve ({@link
 *     dev.silo.workflows.signing.DecisionText#hash}), which a signed decision names; null before
 *     the gate opens
 * @param approvalRules where the environment's approval rules come from ({@link
 *     ApprovalRulesSource#line}); null for a deployment started before the rules were protected
 * @param question the question a signed decision answers now: {@code gate} while the approval
 *     gate waits, {@code watch} while the watch window waits for a person; null otherwise
 */
public record EnvironmentProgress(
    String project,
    String environment,
    String version,
    String workflowId,
    EnvironmentStatus status,
    Stage stage,
    String waitingOn,
    PendingApproval approval,
    List<StepResult> steps,
    List<DecisionRecord> decisions,
    EnvironmentReport report,
    PendingWatchDecision decision,
    String planHash,
    String approvalRules,
    String question) {

  /** Progress without the question a signed decision names. */
  public EnvironmentProgress(String project, String environment, String version, String workflowId,
      EnvironmentStatus status, Stage stage, String waitingOn, PendingApproval approval, List<StepResult> steps,
      List<DecisionRecord> decisions, EnvironmentReport report, PendingWatchDecision decision, String planHash,
      String approvalRules) {
    this(project, environment, version, workflowId, status, stage, waitingOn, approval, steps, decisions, report,
        decision, planHash, approvalRules, null);
  }

  /** Progress without the approval rules' source, as runs started before protection answer. */
  public EnvironmentProgress(String project, String environment, String version, String workflowId,
      EnvironmentStatus status, Stage stage, String waitingOn, PendingApproval approval, List<StepResult> steps,
      List<DecisionRecord> decisions, EnvironmentReport report, PendingWatchDecision decision, String planHash) {
    this(project, environment, version, workflowId, status, stage, waitingOn, approval, steps, decisions, report,
        decision, planHash, null);
  }

  /** Progress without a plan hash, as runs recorded before decisions were signed answer. */
  public EnvironmentProgress(String project, String environment, String version, String workflowId,
      EnvironmentStatus status, Stage stage, String waitingOn, PendingApproval approval, List<StepResult> steps,
      List<DecisionRecord> decisions, EnvironmentReport report, PendingWatchDecision decision) {
    this(project, environment, version, workflowId, status, stage, waitingOn, approval, steps, decisions, report,
        decision, null, null);
  }
}
