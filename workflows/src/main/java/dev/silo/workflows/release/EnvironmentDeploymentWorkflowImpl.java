package dev.silo.workflows.release;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.Failures;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockAcquisition;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.lock.LockGrant;
import dev.silo.workflows.lock.LockRelease;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionRefusedException;
import dev.silo.workflows.signing.PlanHash;
import dev.silo.workflows.signing.TrustActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One environment's deployment, in the runbook's order: the queue, pre-flight, the approval gate,
 * then {@link Stage#AFTER_APPROVAL} in one loop. Pre-flight's own checks live in {@link
 * PreFlightChecks}, the steps run in {@link StepRunner}, the gate in {@link ApprovalGate}, the watch
 * window in {@link WatchWindowStep}, and what operators see in {@link
 * EnvironmentDeploymentProgress}; this class holds the order and what a failure means where it
 * happens: before anything changed the deployment just stops, after it the rollback runs and the
 * version is marked bad.
 *
 * <p>It is one unit over 300 lines because it holds the order and what a failure means where it
 * happens, and the decisions people send (signals, Updates and their validators) are routed here
 * too, to the gate or the watch window.
 *
 * <p>Versioning rule: any change to the order or kind of commands this code issues goes behind
 * {@code Workflow.getVersion}.
 */
public class EnvironmentDeploymentWorkflowImpl implements EnvironmentDeploymentWorkflow {

  /** Pre-flight states what the environment lacks; no database skips the built-in backup. */
  static final String READINESS_CHANGE = "release-environment-readiness";

  /** Pre-flight checks that the worker has every variable the definition names. */
  static final String SECRETS_CHANGE = "release-preflight-secrets";

  /** The version deployed before this one is looked up in pre-flight and this one recorded at the end. */
  static final String PREVIOUS_CHANGE = "release-previous-version";

  /**
   * Decisions are verified against the worker's allowed signers and bound to the hash of what the
   * approval gate asks about; the release's requester is known by the key that signed its start.
   */
  static final String SIGNED_DECISIONS = "release-signed-decisions";

  /**
   * A definition with a duration out of its range ({@link ReleaseDurations}) is refused before
   * anything runs, instead of issuing a timer or timeout the server refuses.
   */
  static final String DURATIONS_BOUNDED = "release-durations-bounded";

  /** The failure type of an Update the validator refuses. */
  static final String DECISION_REFUSED = "DECISION_REFUSED";

  private final EnvironmentDeploymentRequest request;
  private final ApprovalGate gate;
  private final String lockId;
  private final EnvironmentDeploymentProgress progress;
  private final PreFlightChecks preFlightChecks;
  private final ReleaseActivities releases =
      Workflow.newActivityStub(ReleaseActivities.class, ReleaseActivityOptions.BOOKKEEPING);
  private final LockActivities locks = Workflow.newActivityStub(LockActivities.class, ReleaseActivityOptions.BOOKKEEPING);
  private final TrustActivities trust = Workflow.newActivityStub(TrustActivities.class, ReleaseActivityOptions.BOOKKEEPING);
  private boolean granted;
  private boolean changed;
  private ApprovalOutcome approval;
  private EnvironmentReport report;
  private BadVersion badVersion;
  private String startedAt;
  private boolean implicitBackupSkipped;
  private WatchWindowStep watchStep;
  private DecisionSigning signing;
  private final ReleaseWaitNotices waitNotices;

  /** Prepares what signals and queries see before the workflow method runs. */
  @WorkflowInit
  public EnvironmentDeploymentWorkflowImpl(EnvironmentDeploymentRequest request) {
    this.request = request;
    EnvironmentDefinition definition = definition(request);
    this.gate = new ApprovalGate(request.project(), definition == null
        ? new EnvironmentDefinition(request.environment(), false, false, List.of(), 1, null, null, null, null, null, null, null)
        : definition, request.requester());
    this.lockId = EnvironmentLockWorkflow.workflowId(request.project(), request.environment());
    this.progress = new EnvironmentDeploymentProgress(request, lockId, gate);
    this.preFlightChecks = new PreFlightChecks(request, progress);
    this.waitNotices = new ReleaseWaitNotices(request);
  }

  /**
   * Refuses a definition with a duration out of its range: the server refuses a timer or a timeout
   * that long, and every workflow task of the run would fail until someone terminated it. The
   * loader refuses such files already; this holds for a request sent by any other client. The
   * version is asked only for such a definition, so a valid one records no marker and a run started
   * before {@value #DURATIONS_BOUNDED} replays as it ran.
   */
  private static void requireDurationsInRange(EnvironmentDefinition definition, ReleasePipeline pipeline) {
    List<String> problems = ReleaseDurations.problems(definition, pipeline);
    if (!problems.isEmpty()
        && Workflow.getVersion(DURATIONS_BOUNDED, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid release definition: " + String.join("; ", problems), FailureType.INVALID_REQUEST.type());
    }
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
    ReleasePipeline pipeline = request.release().definition().pipeline();
    requireDurationsInRange(definition, pipeline);
    AllowedSigners signers = null;
    if (Workflow.getVersion(SIGNED_DECISIONS, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      signers = trust.allowedSigners();
      requireItsPipeline(signers);
    }
    DeploymentContext context = new DeploymentContext(request.project(), request.version(), request.requester(),
        request.release(), definition);
    StepRunner runner = new StepRunner(context);
    try {
      waitForTheEnvironment();
      StageResult preFlight = preFlight(runner, definition, pipeline);
      if (!preFlight.passed()) {
        return end(EnvironmentStatus.FAILED, preFlight.failure(), runner);
      }
      approval = approval(definition, signers);
      if (!approval.outcome().passes()) {
        return end(approval.outcome() == ApprovalVerdict.REJECTED
            ? EnvironmentStatus.REJECTED : EnvironmentStatus.APPROVAL_TIMED_OUT, approval.note(), runner);
      }
      StageResult deployed = afterApproval(context, runner, pipeline);
      if (!deployed.passed()) {
        if (!changed) {
          return end(EnvironmentStatus.FAILED, deployed.failure(), runner);
        }
        rollBack(runner, pipeline.rollback(), deployed.failure());
        return end(EnvironmentStatus.ROLLED_BACK, deployed.failure(), runner);
      }
      if (preFlightChecks.previousLookedUp()) {
        recordDeployment();
      }
      return end(EnvironmentStatus.SUCCEEDED, null, runner);
    } catch (CanceledFailure | ActivityFailure cancelled) {
      if (!Failures.isCancellation(cancelled)) {
        throw cancelled;
      }
      Workflow.newDetachedCancellationScope(() -> {
        Stage stage = progress.stage();
        String reason = "cancelled by an operator during " + (stage == null ? "the wait for the environment" : stage);
        waitNotices.answered("the deployment was cancelled before anyone answered");
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
    progress.enter(EnvironmentStatus.WAITING_FOR_LOCK, Stage.QUEUE);
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

  /** What the environment lacks, then the pipeline's own pre-flight steps, which may need it. */
  private StageResult preFlight(StepRunner runner, EnvironmentDefinition definition, ReleasePipeline pipeline) {
    progress.beginStage(Stage.PRE_FLIGHT);
    StageResult result = preFlightChecks.run(runner, definition, pipeline);
    if (result.passed()) {
      result = runSteps(runner, Stage.PRE_FLIGHT, pipeline.preFlight());
    }
    if (!result.passed()) {
      progress.stageFailed();
    }
    return result;
  }

  /** Waits at the approval gate; under signing, decisions name the hash of what is approved. */
  private ApprovalOutcome approval(EnvironmentDefinition definition, AllowedSigners signers) {
    progress.enter(EnvironmentStatus.RUNNING, Stage.APPROVAL);
    if (signers != null) {
      signing = decisionSigning(definition, signers);
      gate.signing(signing);
      progress.signing(signing);
    }
    ApprovalOutcome outcome = gate.await(() -> {
      progress.enter(EnvironmentStatus.AWAITING_APPROVAL, Stage.APPROVAL);
      waitNotices.approvalAsked(gate.pending());
    });
    waitNotices.answered(outcome.note());
    progress.enter(EnvironmentStatus.RUNNING, Stage.APPROVAL);
    return outcome;
  }

  /** Runs {@link Stage#AFTER_APPROVAL} in order; the first stage that fails ends the deployment. */
  private StageResult afterApproval(DeploymentContext context, StepRunner runner, ReleasePipeline pipeline) {
    for (Stage stage : Stage.AFTER_APPROVAL) {
      progress.beginStage(stage);
      StageResult result = stage == Stage.WATCH
          ? watch(context, runner, pipeline)
          : runSteps(runner, stage, pipeline.steps(stage));
      if (!result.passed()) {
        progress.stageFailed();
        return result;
      }
    }
    return StageResult.PASSED;
  }

  /**
   * Runs a stage's steps. In pre-flight every step runs and a failing step that is not {@code
   * blocking} is a warning; elsewhere the first failing step ends the stage. A backup comes before
   * the first step that can change the database, whatever the pipeline says.
   */
  private StageResult runSteps(StepRunner runner, Stage stage, List<PipelineStep> steps) {
    String failure = null;
    for (PipelineStep step : steps) {
      if (stage.changesTheEnvironment() && !(step instanceof PipelineStep.Backup)) {
        String backupFailure = backUpBeforeTheFirstChange(runner, stage);
        if (backupFailure != null) {
          return StageResult.failed(backupFailure);
        }
        changed = true;
      }
      StepResult result = runner.run(stage, step, StepRunner.HEALTH_RETRY_WINDOW);
      if (stage.runsEveryStep() && result.outcome() == StepOutcome.FAILED && !step.blocking()) {
        result = new StepResult(result.stage(), result.name(), result.kind(), StepOutcome.WARNED,
            result.durationMillis(), result.detail());
      }
      progress.record(result);
      if (result.outcome() == StepOutcome.FAILED && failure == null) {
        failure = stage.failure(step, result.detail());
      }
      if (failure != null && !stage.runsEveryStep()) {
        break;
      }
    }
    return failure == null ? StageResult.PASSED : StageResult.failed(failure);
  }

  /**
   * Takes the backup before the deployment's first change, unless one was taken; without a database
   * (which pre-flight reported) the report says where the backup would have been. Returns why the
   * backup failed, or null.
   */
  private String backUpBeforeTheFirstChange(StepRunner runner, Stage stage) {
    if (runner.backupPath() != null || implicitBackupSkipped) {
      return null;
    }
    if (preFlightChecks.readinessChecked() && definition(request).database() == null) {
      implicitBackupSkipped = true;
      progress.record(new StepResult(stage, StepRunner.IMPLICIT_BACKUP, StepKind.BACKUP.yamlName(), StepOutcome.SKIPPED, 0,
          "no database is configured, so the built-in backup cannot run; the pipeline's own steps must back the"
              + " database up"));
      return null;
    }
    StepResult backup = runner.implicitBackup();
    progress.record(backup);
    return backup.outcome() == StepOutcome.PASSED ? null : "the backup before any change failed: " + backup.detail();
  }

  /** The watch window: a trigger that fires, or a person who says so, fails it. */
  private StageResult watch(DeploymentContext context, StepRunner runner, ReleasePipeline pipeline) {
    watchStep = new WatchWindowStep(context, runner);
    if (signing != null) {
      watchStep.signing(signing);
    }
    progress.watching(watchStep);
    List<PipelineStep> endpointChecks = pipeline.healthChecks().stream()
        .filter(PipelineStep.Endpoint.class::isInstance).toList();
    StepResult watched = Workflow.getVersion(WatchWindowStep.ANALYSIS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1
        ? watchStep.analyse(pipeline.rollback().triggers(), endpointChecks, gate.timeout(),
            () -> {
              progress.enter(EnvironmentStatus.AWAITING_DECISION, Stage.WATCH);
              waitNotices.watchAsked(watchStep.pending());
            },
            () -> progress.enter(EnvironmentStatus.WATCHING, Stage.WATCH))
        : watchStep.watch(pipeline.rollback().triggers(), endpointChecks);
    waitNotices.answered(watched.detail());
    progress.record(watched);
    return watched.outcome() == StepOutcome.FAILED ? StageResult.failed(watched.detail()) : StageResult.PASSED;
  }

  /** Records this deployment as the one the next deployment of the environment would go back to. */
  private void recordDeployment() {
    long started = Workflow.currentTimeMillis();
    try {
      Failures.orStepFailure(() -> releases.recordDeployment(new RecordDeploymentRequest(request.project(),
              request.environment(), request.version(), request.release().commit(),
              Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId())),
          message -> new StepFailure("the next deployment will not know this version as the previous one: "
              + message));
    } catch (StepFailure failure) {
      progress.record(new StepResult(Stage.WATCH, "Record the deployment", "ledger", StepOutcome.WARNED,
          Workflow.currentTimeMillis() - started, failure.detail()));
    }
  }

  /**
   * Runs every rollback step, whatever the previous one did, then marks the version bad so that
   * automatic deployments never apply it again.
   */
  private void rollBack(StepRunner runner, RollbackPlan plan, String reason) {
    progress.beginRollback();
    runner.reason(reason);
    for (PipelineStep step : plan.steps()) {
      progress.recordRollback(runner.run(Stage.ROLLBACK, step, Duration.ZERO));
    }
    long started = Workflow.currentTimeMillis();
    try {
      badVersion = Failures.orStepFailure(() -> releases.markVersionBad(new MarkVersionBadRequest(request.project(),
              request.version(), request.environment(), reason, Workflow.getInfo().getWorkflowId())),
          message -> new StepFailure("the version could not be marked bad: " + message));
    } catch (StepFailure failure) {
      progress.recordRollback(new StepResult(Stage.ROLLBACK, "Mark the version bad", "ledger", StepOutcome.FAILED,
          Workflow.currentTimeMillis() - started, failure.detail()));
    }
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
        progress.steps(), progress.rollbackSteps(), runner.backupPath(), badVersion, decisions(),
        startedAt, now(), ApprovalRulesSource.line(request.release(), request.environment()));
    progress.enter(outcome, null);
    waitNotices.settle();
    return report;
  }

  /**
   * Under a worker that verifies signatures, runs only as the child of its release pipeline, which
   * verified the start and read the approval rules from their protected source: a deployment
   * started directly could bring its own rules and name anyone as its requester.
   */
  private void requireItsPipeline(AllowedSigners signers) {
    if (!signers.configured()) {
      return;
    }
    String workflowId = Workflow.getInfo().getWorkflowId();
    boolean underItsPipeline = Workflow.getInfo().getParentWorkflowId()
        .map(parent -> EnvironmentDeploymentWorkflow.workflowId(parent, request.environment()).equals(workflowId))
        .orElse(false);
    if (!underItsPipeline) {
      throw ApplicationFailure.newNonRetryableFailure("environment deployment " + workflowId + " was not started by"
          + " its release pipeline, and the worker verifies signatures: start the release with 'silo release start',"
          + " which signs it, and the pipeline deploys each environment", FailureType.INVALID_REQUEST.type());
    }
  }

  /**
   * Takes the run's copy of the worker's allowed signers and the hash of what is approved here: the project, the
   * version and its commit, this environment's definition with its protected approval rules, and
   * the pipeline.
   */
  private DecisionSigning decisionSigning(EnvironmentDefinition definition, AllowedSigners signers) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("project", request.project());
    plan.put("version", request.version());
    plan.put("commit", request.release().commit());
    plan.put("environment", definition);
    plan.put("pipeline", request.release().definition().pipeline());
    boolean unsignedAdmitted = !definition.requireApproval() || unsignedAdmitted(definition);
    // Recorded, so that a later change to these records' shape cannot change what a run replays with.
    String planHash = Workflow.sideEffect(String.class, () -> PlanHash.of(plan));
    return new DecisionSigning(signers, request.requesterFingerprint(), unsignedAdmitted, planHash);
  }

  /** Whether the environment's protected rules admit unsigned decisions. */
  private static boolean unsignedAdmitted(EnvironmentDefinition definition) {
    return definition.allowUnsignedDecisions();
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  /**
   * While the watch window waits for a person, {@code approve} accepts the version and {@code
   * reject} rolls it back; otherwise both go to the approval gate.
   */
  @Override
  public void approve(Decision decision) {
    if (watchDecides()) {
      watchStep.decide(decision, true);
    } else {
      gate.take(APPROVE, decision, "signal");
    }
  }

  @Override
  public void reject(Decision decision) {
    if (watchDecides()) {
      watchStep.decide(decision, false);
    } else {
      gate.take(REJECT, decision, "signal");
    }
  }

  /** Where a decision goes now: the watch window while it waits for a person, else the gate. */
  private boolean watchDecides() {
    return watchStep != null && watchStep.pending() != null;
  }

  private void validate(String kind, Decision decision) {
    boolean accept = kind.equals(APPROVE);
    String refusal = watchDecides() ? watchStep.refusal(decision, accept) : gate.refusal(kind, decision);
    if (refusal != null) {
      // Nothing of a refused Update enters the history; the worker's log keeps the attempt.
      Workflow.getLogger(EnvironmentDeploymentWorkflowImpl.class).warn(
          "decision refused: workflow={} kind={} actor={} plan={} signed={} reason={}",
          Workflow.getInfo().getWorkflowId(), kind, decision == null ? null : decision.actor(),
          decision == null ? null : decision.planHash(), decision != null && decision.signed(), refusal);
      throw new DecisionRefusedException(refusal);
    }
  }

  private DecisionRecord update(String kind, Decision decision) {
    boolean accept = kind.equals(APPROVE);
    DecisionRecord record = watchDecides() ? watchStep.take(decision, accept, "update")
        : gate.take(kind, decision, "update");
    if (!record.accepted()) {
      throw ApplicationFailure.newNonRetryableFailure(record.note().replaceFirst("^ignored: ", ""), DECISION_REFUSED);
    }
    return record;
  }

  @Override
  public DecisionRecord approveUpdate(Decision decision) {
    return update(APPROVE, decision);
  }

  @Override
  public void validateApprove(Decision decision) {
    validate(APPROVE, decision);
  }

  @Override
  public DecisionRecord rejectUpdate(Decision decision) {
    return update(REJECT, decision);
  }

  @Override
  public void validateReject(Decision decision) {
    validate(REJECT, decision);
  }

  /** Every decision received, at the approval gate and then in the watch window. */
  private List<DecisionRecord> decisions() {
    List<DecisionRecord> all = new ArrayList<>(gate.decisions());
    if (watchStep != null) {
      all.addAll(watchStep.decisions());
    }
    return List.copyOf(all);
  }

  @Override
  public void lockGranted(LockGrant grant) {
    granted = true;
  }

  @Override
  public EnvironmentProgress progress() {
    return new EnvironmentProgress(request.project(), request.environment(), request.version(),
        Workflow.getInfo().getWorkflowId(), progress.status(), progress.stage(),
        progress.status() == EnvironmentStatus.WAITING_FOR_LOCK ? lockId : null, gate.pending(),
        progress.steps(), decisions(), report, watchStep == null ? null : watchStep.pending(),
        signing == null ? null : signing.planHash(),
        ApprovalRulesSource.line(request.release(), request.environment()), question());
  }

  /** The question a signed decision answers now, as {@link EnvironmentProgress#question()} says. */
  private String question() {
    if (signing == null) {
      return null;
    }
    if (watchDecides()) {
      return DecisionSigning.WATCH;
    }
    return gate.pending() != null ? DecisionSigning.GATE : null;
  }

}
