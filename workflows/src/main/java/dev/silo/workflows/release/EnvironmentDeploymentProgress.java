package dev.silo.workflows.release;

import static dev.silo.workflows.release.EnvironmentDeploymentWorkflow.APPROVE;
import static dev.silo.workflows.release.EnvironmentDeploymentWorkflow.REJECT;

import com.uber.m3.tally.Scope;
import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deployment's observable state: where it is, the steps run so far, the status search attribute
 * operators filter on, the stage and rollback metrics (see {@link SiloMetrics}), and the current
 * details the Web UI shows. Every change is published at once, so they never disagree.
 */
final class EnvironmentDeploymentProgress {

  private final EnvironmentDeploymentRequest request;
  private final String lockId;
  private final ApprovalGate gate;
  private final List<StepResult> steps = new ArrayList<>();
  private final List<StepResult> rollbackSteps = new ArrayList<>();
  private EnvironmentStatus status = EnvironmentStatus.WAITING_FOR_LOCK;
  private EnvironmentStatus publishedStatus;
  private Stage stage;
  private DecisionSigning signing;
  private WatchWindowStep watchStep;

  EnvironmentDeploymentProgress(EnvironmentDeploymentRequest request, String lockId, ApprovalGate gate) {
    this.request = request;
    this.lockId = lockId;
    this.gate = gate;
  }

  EnvironmentStatus status() {
    return status;
  }

  /** The stage running, or null once the deployment has ended. */
  Stage stage() {
    return stage;
  }

  /** The steps run so far, pre-flight to watch. */
  List<StepResult> steps() {
    return List.copyOf(steps);
  }

  /** The rollback steps run so far. */
  List<StepResult> rollbackSteps() {
    return List.copyOf(rollbackSteps);
  }

  /** The details name the plan hash a signed decision names, from now on. */
  void signing(DecisionSigning decisionSigning) {
    this.signing = decisionSigning;
  }

  /** The details show what the watch window waits for, from now on. */
  void watching(WatchWindowStep step) {
    this.watchStep = step;
  }

  /**
   * Moves to a status and stage. The status is upserted as a search attribute only when it changes,
   * since each upsert is an event in the history; the current details are always refreshed.
   */
  void enter(EnvironmentStatus newStatus, Stage newStage) {
    if (newStatus != publishedStatus) {
      Workflow.upsertTypedSearchAttributes(SiloSearchAttributes.RELEASE_STATUS.valueSet(newStatus.name()));
      publishedStatus = newStatus;
    }
    status = newStatus;
    stage = newStage;
    publish();
  }

  /**
   * Enters a stage of the runbook and counts it as begun. The queue, the approval gate and the
   * rollback are not counted as stages: the gate has its gauge and the rollback its own counter.
   */
  void beginStage(Stage newStage) {
    enter(newStage.status(), newStage);
    stageMetrics().counter(SiloMetrics.RELEASE_STAGES_STARTED).inc(1);
  }

  /** Counts the stage running as failed. */
  void stageFailed() {
    stageMetrics().counter(SiloMetrics.RELEASE_STAGES_FAILED).inc(1);
  }

  /** Enters the rollback and counts it. */
  void beginRollback() {
    enter(EnvironmentStatus.ROLLING_BACK, Stage.ROLLBACK);
    environmentMetrics().counter(SiloMetrics.RELEASE_ROLLBACKS).inc(1);
  }

  void record(StepResult result) {
    steps.add(result);
    publish();
  }

  void recordRollback(StepResult result) {
    rollbackSteps.add(result);
    publish();
  }

  private Scope stageMetrics() {
    return environmentMetrics().tagged(Map.of(SiloMetrics.STAGE, stage.id()));
  }

  private Scope environmentMetrics() {
    return Workflow.getMetricsScope()
        .tagged(Map.of(SiloMetrics.PROJECT, request.project(), SiloMetrics.ENVIRONMENT, request.environment()));
  }

  private void publish() {
    Workflow.setCurrentDetails(details());
  }

  /** What the Web UI shows of a running deployment, as Markdown. */
  String details() {
    StringBuilder text = new StringBuilder();
    text.append("**").append(request.project()).append(' ').append(request.version()).append(" → ")
        .append(request.environment()).append("**: ").append(status)
        .append(stage == null ? "" : ", stage " + stage.id()).append("\n\n");
    if (status == EnvironmentStatus.WAITING_FOR_LOCK) {
      text.append("Queued behind the deployment holding `").append(lockId)
          .append("` (query `queue` on that workflow to see who).\n\n");
    }
    PendingApproval pending = gate.pending();
    if (pending != null) {
      text.append("Waiting for ").append(pending.required() - pending.approvedBy().size())
          .append(" more approval(s) from ").append(String.join(", ", pending.approvers()))
          .append(" until ").append(pending.deadline()).append(": signal `").append(APPROVE)
          .append("` (or `").append(REJECT).append("`) with `{\"actor\": \"<you>\", \"comment\": \"<why>\"}`\n\n");
    }
    String approvalRules = ApprovalRulesSource.line(request.release(), request.environment());
    if (pending != null && approvalRules != null) {
      text.append(approvalRules).append("\n\n");
    }
    PendingWatchDecision undecided = watchStep == null ? null : watchStep.pending();
    if (signing != null && (pending != null || undecided != null)) {
      text.append("Plan hash `").append(signing.planHash()).append("`: a signed decision (`silo release approve`)")
          .append(" names it; a decision on any other plan is refused.\n\n");
    }
    if (undecided != null) {
      watchDecision(text, undecided);
    }
    text.append("| stage | step | outcome | time | detail |\n|---|---|---|---|---|\n");
    for (List<StepResult> list : List.of(steps, rollbackSteps)) {
      for (StepResult step : list) {
        text.append("| ").append(step.stage().id()).append(" | ").append(step.name()).append(" | ").append(step.outcome())
            .append(" | ").append(step.durationMillis()).append(" ms | ").append(cell(step.detail())).append(" |\n");
      }
    }
    return text.toString();
  }

  private static void watchDecision(StringBuilder text, PendingWatchDecision undecided) {
    text.append("The watch window cannot decide (").append(undecided.reason()).append("). Signal `")
        .append(APPROVE).append("` to accept the version or `").append(REJECT).append("` to roll it back, with `")
        .append("{\"actor\": \"<you>\", \"comment\": \"<why>\"}`")
        .append(undecided.deciders().isEmpty() ? "" : " (one of " + String.join(", ", undecided.deciders()) + ")")
        .append("; it rolls back at ").append(undecided.deadline()).append(".\n\n")
        .append("| reading at | trigger | outcome | detail |\n|---|---|---|---|\n");
    for (WatchReading reading : undecided.readings()) {
      text.append("| ").append(reading.at()).append(" | ").append(reading.trigger()).append(" | ")
          .append(reading.outcome().id()).append(" | ").append(cell(reading.detail())).append(" |\n");
    }
    text.append('\n');
  }

  /** A detail as one table cell: no column separator, no line break. */
  private static String cell(String detail) {
    return detail == null ? "" : detail.replace('|', '/').replace('\n', ' ');
  }
}
