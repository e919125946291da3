package dev.silo.workflows.release;

import dev.silo.workflows.decision.DecisionRecord;
import java.util.List;

/**
 * How a deployment to one environment ended.
 *
 * @param project the project
 * @param environment the environment
 * @param version the version as requested
 * @param commit the commit deployed
 * @param workflowId this deployment's workflow ID
 * @param status how it ended ({@link EnvironmentStatus#isTerminal()})
 * @param reason why it ended so, one line; null when it succeeded
 * @param approval how the approval gate ended; null when the deployment ended before the gate
 * @param steps every step run, in order, pre-flight to watch
 * @param rollback the rollback steps, in order; empty when there was no rollback
 * @param backupPath the backup taken before the migrations, on the worker; null when none was taken
 * @param badVersion the mark written when the version was rolled back, or found when it was
 *     skipped; null otherwise
 * @param decisions every approval or rejection received, accepted or ignored
 * @param startedAt when the deployment started, ISO-8601
 * @param endedAt when it ended, ISO-8601
 * @param approvalRules where the environment's approval rules came from ({@link
 *     ApprovalRulesSource#line}); null for a deployment recorded before the rules were protected
 */
public record EnvironmentReport(
    String project,
    String environment,
    String version,
    String commit,
    String workflowId,
    EnvironmentStatus status,
    String reason,
    ApprovalOutcome approval,
    List<StepResult> steps,
    List<StepResult> rollback,
    String backupPath,
    BadVersion badVersion,
    List<DecisionRecord> decisions,
    String startedAt,
    String endedAt,
    String approvalRules) {

  /** A report without the approval rules' source, as deployments recorded before protection end. */
  public EnvironmentReport(String project, String environment, String version, String commit, String workflowId,
      EnvironmentStatus status, String reason, ApprovalOutcome approval, List<StepResult> steps,
      List<StepResult> rollback, String backupPath, BadVersion badVersion, List<DecisionRecord> decisions,
      String startedAt, String endedAt) {
    this(project, environment, version, commit, workflowId, status, reason, approval, steps, rollback, backupPath,
        badVersion, decisions, startedAt, endedAt, null);
  }
}
