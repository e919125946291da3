package dev.silo.workflows.release;

import com.uber.m3.tally.Scope;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockAcquisition;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.lock.LockGrant;
import dev.silo.workflows.lock.LockRelease;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.silo.Decision;
import dev.silo.workflows.silo.Failures;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One environment's deployment, in the runbook's order. The stages live in {@link StepRunner},
 * {@link ApprovalGate} and {@link WatchWindowStep}; this class holds the order and what a failure
 * means where it happens: before anything changed the deployment just stops, after it the
 * rollback runs and the version is marked bad.
 *
 * <p>Versioning rule: any change to the order or kind of commands this code issues goes behind
 * {@code Workflow.getVersion}.
 */
public class EnvironmentDeploymentWorkflowImpl implements EnvironmentDeploymentWorkflow {

  private final EnvironmentDeploymentRequest request;
  private final ApprovalGate gate;
  private final List<StepResult> steps = new ArrayList<>();
  private final List<StepResult> rollbackSteps = new ArrayList<>();
  private final String lockId;
  private EnvironmentStatus status = EnvironmentStatus.WAITING_FOR_LOCK;
  private EnvironmentStatus publishedStatus;
  private String stage;
  private boolean granted;
  private boolean changed;
  private ApprovalOutcome approval;
  private EnvironmentReport report;
  private BadVersion badVersion;
  private String startedAt;

  /** Prepares what signals and queries see before the workflow method runs. */
  @WorkflowInit
  public EnvironmentDeploymentWorkflowImpl(EnvironmentDeploymentRequest request) {
    this.request = request;
    EnvironmentDefinition definition = definition(request);
    this.gate = new ApprovalGate(request.project(), definition == null
        ? new EnvironmentDefinition(request.environment(), false, false, List.of(), 1, null, null, null, null, null)
        : definition, request.requester());
    this.lockId = EnvironmentLockWorkflow.workflowId(request.project(), request.environment());
  }

  /** The environment's definition, or null when the release does not define it. */
  private static EnvironmentDefinition definition(EnvironmentDeploymentRequest request) {
    return request.release().definition().environments().stream()
        .filter(environment -> environment.name().equals(request.environment()))
        .findFirst()
        .orElse(null);
  }

  @Override
  public EnvironmentReport deploy(EnvironmentDeploymentRequest request) {
    startedAt = now();
    EnvironmentDefinition definition = definition(request);
    if (definition == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the release defines no environment " + request.environment(), FailureType.INVALID_REQUEST.type());
    }
    DeploymentContext context = new DeploymentContext(request.project(), request.version(), request.requester(),
        request.release(), definition);
    ReleasePipeline pipeline = request.release().definition().pipeline();
    StepRunner runner = new StepRunner(context);
    try {
      waitForTheEnvironment();
      enter(EnvironmentStatus.RUNNING, "pre_flight");
      stageStarted();

      String stopped = preFlight(runner, pipeline.preFlight());
      if (stopped != null) {
        stageFailed();
        return end(EnvironmentStatus.FAILED, stopped, runner);
      }

      enter(EnvironmentStatus.RUNNING, "approval");
      approval = gate.await(() -> enter(EnvironmentStatus.AWAITING_APPROVAL, "approval"));
      enter(EnvironmentStatus.RUNNING, "approval");
      switch (approval.outcome()) {
        case "REJECTED":
          return end(EnvironmentStatus.REJECTED, approval.note(), runner);
        case "TIMED_OUT":
          return end(EnvironmentStatus.APPROVAL_TIMED_OUT, approval.note(), runner);
        default:
          break;
      }

      String failure = deployStage(runner, "schema_deploy", pipeline.schemaDeploy());
      if (failure == null) {
        failure = deployStage(runner, "function_deploy", pipeline.functionDeploy());
      }
      if (failure == null) {
        failure = deployStage(runner, "rls_deploy", pipeline.rlsDeploy());
      }
      if (failure == null) {
        failure = healthChecks(runner, pipeline.healthChecks());
      }
      if (failure == null) {
        enter(EnvironmentStatus.WATCHING, "watch");
        stageStarted();
        StepResult watched = new WatchWindowStep(context, runner)
            .watch(pipeline.rollback().triggers(), endpointChecks(pipeline.healthChecks()));
        record(watched);
        if (watched.outcome() == StepOutcome.FAILED) {
          stageFailed();
          failure = watched.detail();
        }
      }
      if (failure != null) {
        if (!changed) {
          return end(EnvironmentStatus.FAILED, failure, runner);
        }
        rollBack(runner, pipeline.rollback(), failure);
        return end(EnvironmentStatus.ROLLED_BACK, failure, runner);
      }
      return end(EnvironmentStatus.SUCCEEDED, null, runner);
    } catch (CanceledFailure | ActivityFailure cancelled) {
      if (!Failures.isCancellation(cancelled)) {
        throw cancelled;
      }
      Workflow.newDetachedCancellationScope(() -> {
        String reason = "cancelled by an operator during " + (stage == null ? "the wait for the environment" : stage);
        if (changed) {
          rollBack(runner, pipeline.rollback(), reason);
          report(EnvironmentStatus.ROLLED_BACK, reason, runner);
        } else {
          report(EnvironmentStatus.FAILED, reason, runner);
        }
        releaseTheEnvironment();
      }).run();
      throw cancelled;
    }
  }

  /** Queues for the project's environment and waits until this deployment holds it. */
  private void waitForTheEnvironment() {
    enter(EnvironmentStatus.WAITING_FOR_LOCK, "queue");
    LockActivities locks = Workflow.newActivityStub(LockActivities.class, ReleaseActivityOptions.BOOKKEEPING);
    locks.requestLock(new LockAcquisition(lockId, Workflow.getInfo().getTaskQueue(), new LockRequest(
        Workflow.getInfo().getWorkflowId(), request.version(), request.requester(), now())));
    Workflow.await(() -> granted);
  }

  private void releaseTheEnvironment() {
    try {
      Workflow.newExternalWorkflowStub(EnvironmentLockWorkflow.class, lockId)
          .release(new LockRelease(Workflow.getInfo().getWorkflowId()));
    } catch (SignalExternalWorkflowException gone) {
      // The lock no longer runs (an operator terminated it): there is nothing to give back.
    }
  }

  /** Every step runs; a failing {@code blocking} step stops the environment, others are warnings. */
  private String preFlight(StepRunner runner, List<PipelineStep> preFlight) {
    String stopped = null;
    for (PipelineStep step : preFlight) {
      StepResult result = runner.run(stage, step, StepRunner.HEALTH_RETRY_WINDOW);
      if (result.outcome() == StepOutcome.FAILED && !step.blocking()) {
        result = new StepResult(result.stage(), result.name(), result.kind(), StepOutcome.WARNED,
            result.durationMillis(), result.detail());
      }
      record(result);
      if (result.outcome() == StepOutcome.FAILED && stopped == null) {
        stopped = "pre-flight check '" + step.name() + "' failed: " + result.detail();
      }
    }
    return stopped;
  }

  /**
   * Runs a deploy stage; the first failing step ends it. A backup comes before the first step that
   * can change the database, whatever the pipeline says.
   */
  private String deployStage(StepRunner runner, String name, List<PipelineStep> stageSteps) {
    enter(EnvironmentStatus.RUNNING, name);
    stageStarted();
    for (PipelineStep step : stageSteps) {
      if (step.kind() != StepKind.BACKUP && runner.backupPath() == null) {
        StepResult backup = runner.implicitBackup();
        record(backup);
        if (backup.outcome() != StepOutcome.PASSED) {
          stageFailed();
          return "the backup before any change failed: " + backup.detail();
        }
      }
      if (step.kind() != StepKind.BACKUP) {
        changed = true;
      }
      StepResult result = runner.run(stage, step, StepRunner.HEALTH_RETRY_WINDOW);
      record(result);
      if (result.outcome() == StepOutcome.FAILED) {
        stageFailed();
        return name + " step '" + step.name() + "' failed: " + result.detail();
      }
    }
    return null;
  }

  private String healthChecks(StepRunner runner, List<PipelineStep> checks) {
    enter(EnvironmentStatus.RUNNING, "health_checks");
    stageStarted();
    for (PipelineStep step : checks) {
      StepResult result = runner.run(stage, step, StepRunner.HEALTH_RETRY_WINDOW);
      record(result);
      if (result.outcome() == StepOutcome.FAILED) {
        stageFailed();
        return "health check '" + step.name() + "' failed: " + result.detail();
      }
    }
    return null;
  }

  private static List<PipelineStep> endpointChecks(List<PipelineStep> checks) {
    return checks.stream().filter(step -> step.kind() == StepKind.ENDPOINT).toList();
  }

  /**
   * Runs every rollback step, whatever the previous one did, then marks the version bad so that
   * automatic deployments never apply it again.
   */
  private void rollBack(StepRunner runner, RollbackPlan plan, String reason) {
    enter(EnvironmentStatus.ROLLING_BACK, "rollback");
    environmentMetrics().counter(SiloMetrics.RELEASE_ROLLBACKS).inc(1);
    runner.reason(reason);
    for (PipelineStep step : plan.steps()) {
      rollbackSteps.add(runner.run(stage, step, Duration.ZERO));
      publish();
    }
    ReleaseActivities ledger = Workflow.newActivityStub(ReleaseActivities.class, ReleaseActivityOptions.BOOKKEEPING);
    long started = Workflow.currentTimeMillis();
    try {
      badVersion = ledger.markVersionBad(new MarkVersionBadRequest(request.project(), request.version(),
          request.environment(), reason, Workflow.getInfo().getWorkflowId()));
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      rollbackSteps.add(new StepResult(stage, "Mark the version bad", "ledger", StepOutcome.FAILED,
          Workflow.currentTimeMillis() - started, "the version could not be marked bad: " + Failures.message(failure)));
    }
  }

  /**
   * Counts the stage just entered as begun. The queue, the approval gate and the rollback are not
   * counted as stages: the gate has its gauge and the rollback its own counter.
   */
  private void stageStarted() {
    stageMetrics().counter(SiloMetrics.RELEASE_STAGES_STARTED).inc(1);
  }

  private void stageFailed() {
    stageMetrics().counter(SiloMetrics.RELEASE_STAGES_FAILED).inc(1);
  }

  private Scope stageMetrics() {
    return environmentMetrics().tagged(Map.of(SiloMetrics.STAGE, stage));
  }

  private Scope environmentMetrics() {
    return Workflow.getMetricsScope()
        .tagged(Map.of(SiloMetrics.PROJECT, request.project(), SiloMetrics.ENVIRONMENT, request.environment()));
  }

  /** Ends the deployment: gives the environment back, and fails unless it succeeded. */
  private EnvironmentReport end(EnvironmentStatus outcome, String reason, StepRunner runner) {
    EnvironmentReport finalReport = report(outcome, reason, runner);
    releaseTheEnvironment();
    if (outcome != EnvironmentStatus.SUCCEEDED) {
      throw ApplicationFailure.newNonRetryableFailure(
          request.environment() + " " + outcome.name().toLowerCase().replace('_', ' ') + ": " + reason,
          FailureType.ENVIRONMENT_DEPLOYMENT_FAILED.type(), finalReport);
    }
    return finalReport;
  }

  private EnvironmentReport report(EnvironmentStatus outcome, String reason, StepRunner runner) {
    report = new EnvironmentReport(request.project(), request.environment(), request.version(),
        request.release().commit(), Workflow.getInfo().getWorkflowId(), outcome, reason, approval,
        List.copyOf(steps), List.copyOf(rollbackSteps), runner.backupPath(), badVersion, gate.decisions(),
        startedAt, now());
    enter(outcome, null);
    return report;
  }

  /**
   * Moves to a status and stage. The status is upserted as a search attribute only when it changes,
   * since each upsert is an event in the history; the current details are always refreshed.
   */
  private void enter(EnvironmentStatus newStatus, String newStage) {
    if (newStatus != publishedStatus) {
      Workflow.upsertTypedSearchAttributes(SiloSearchAttributes.RELEASE_STATUS.valueSet(newStatus.name()));
      publishedStatus = newStatus;
    }
    status = newStatus;
    stage = newStage;
    publish();
  }

  private void record(StepResult result) {
    steps.add(result);
    publish();
  }

  /** What the Web UI shows of a running deployment, as Markdown. */
  private void publish() {
    StringBuilder text = new StringBuilder();
    text.append("**").append(request.project()).append(' ').append(request.version()).append(" → ")
        .append(request.environment()).append("**: ").append(status)
        .append(stage == null ? "" : ", stage " + stage).append("\n\n");
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
    text.append("| stage | step | outcome | time | detail |\n|---|---|---|---|---|\n");
    for (List<StepResult> list : List.of(steps, rollbackSteps)) {
      for (StepResult step : list) {
        text.append("| ").append(step.stage()).append(" | ").append(step.name()).append(" | ").append(step.outcome())
            .append(" | ").append(step.durationMillis()).append(" ms | ")
            .append(step.detail() == null ? "" : step.detail().replace('|', '/').replace('\n', ' ')).append(" |\n");
      }
    }
    Workflow.setCurrentDetails(text.toString());
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  @Override
  public void approve(Decision decision) {
    gate.approve(decision);
  }

  @Override
  public void reject(Decision decision) {
    gate.reject(decision);
  }

  @Override
  public void lockGranted(LockGrant grant) {
    granted = true;
  }

  @Override
  public EnvironmentProgress progress() {
    return new EnvironmentProgress(request.project(), request.environment(), request.version(),
        Workflow.getInfo().getWorkflowId(), status, stage,
        status == EnvironmentStatus.WAITING_FOR_LOCK ? lockId : null, gate.pending(),
        List.copyOf(steps), gate.decisions(), report);
  }
}
