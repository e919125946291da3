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
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionRefusedException;
import dev.silo.workflows.signing.PlanHash;
import dev.silo.workflows.signing.TrustActivities;
import dev.silo.workflows.silo.Decision;
import dev.silo.workflows.silo.DecisionRecord;
import dev.silo.workflows.Failures;
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
  private int readinessVersion = Workflow.DEFAULT_VERSION;
  private int previousVersion = Workflow.DEFAULT_VERSION;
  private boolean implicitBackupSkipped;
  private WatchWindowStep watchStep;
  private DecisionSigning signing;

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

  /** Prepares what signals and queries see before the workflow method runs. */
  @WorkflowInit
  public EnvironmentDeploymentWorkflowImpl(EnvironmentDeploymentRequest request) {
    this.request = request;
    EnvironmentDefinition definition = definition(request);
    this.gate = new ApprovalGate(request.project(), definition == null
        ? new EnvironmentDefinition(request.environment(), false, false, List.of(), 1, null, null, null, null, null, null, null)
        : definition, request.requester());
    this.lockId = EnvironmentLockWorkflow.workflowId(request.project(), request.environment());
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
    requireDurationsInRange(definition, request.release().definition().pipeline());
    AllowedSigners trust = null;
    if (Workflow.getVersion(SIGNED_DECISIONS, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      trust = Workflow.newActivityStub(TrustActivities.class, ReleaseActivityOptions.BOOKKEEPING).allowedSigners();
      requireItsPipeline(trust);
    }
    DeploymentContext context = new DeploymentContext(request.project(), request.version(), request.requester(),
        request.release(), definition);
    ReleasePipeline pipeline = request.release().definition().pipeline();
    StepRunner runner = new StepRunner(context);
    try {
      waitForTheEnvironment();
      enter(EnvironmentStatus.RUNNING, "pre_flight");
      stageStarted();

      String stopped = readiness(runner, definition, pipeline);
      if (stopped == null) {
        stopped = preFlight(runner, pipeline.preFlight());
      }
      if (stopped != null) {
        stageFailed();
        return end(EnvironmentStatus.FAILED, stopped, runner);
      }

      enter(EnvironmentStatus.RUNNING, "approval");
      if (trust != null) {
        signing = decisionSigning(definition, trust);
        gate.signing(signing);
      }
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
        watchStep = new WatchWindowStep(context, runner);
        if (signing != null) {
          watchStep.signing(signing);
        }
        StepResult watched = Workflow.getVersion(WatchWindowStep.ANALYSIS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1
            ? watchStep.analyse(pipeline.rollback().triggers(), endpointChecks(pipeline.healthChecks()), gate.timeout(),
                () -> enter(EnvironmentStatus.AWAITING_DECISION, "watch"),
                () -> enter(EnvironmentStatus.WATCHING, "watch"))
            : watchStep.watch(pipeline.rollback().triggers(), endpointChecks(pipeline.healthChecks()));
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
      if (previousVersion >= 1) {
        recordDeployment();
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

  /**
   * What pre-flight checks before the pipeline's own steps, each behind its change: what the
   * environment lacks for the pipeline, the worker variables the definition names, and the version
   * deployed before this one. All of them are checked and reported together; any failure stops the
   * deployment before the pipeline's pre-flight steps, which may need what is missing.
   */
  private String readiness(StepRunner runner, EnvironmentDefinition definition, ReleasePipeline pipeline) {
    List<String> stops = new ArrayList<>();
    readinessVersion = Workflow.getVersion(READINESS_CHANGE, Workflow.DEFAULT_VERSION, 1);
    if (readinessVersion >= 1) {
      StepResult ready = EnvironmentReadiness.of(pipeline, definition).result();
      record(ready);
      if (ready.outcome() == StepOutcome.FAILED) {
        stops.add(request.environment() + " lacks what the pipeline needs: " + ready.detail());
      }
    }
    if (Workflow.getVersion(SECRETS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      StepResult secrets = checkVariables(definition, pipeline);
      record(secrets);
      if (secrets.outcome() == StepOutcome.FAILED) {
        stops.add(secrets.detail());
      }
    }
    previousVersion = Workflow.getVersion(PREVIOUS_CHANGE, Workflow.DEFAULT_VERSION, 1);
    if (previousVersion >= 1) {
      StepResult previous = findPreviousDeployment(runner);
      record(previous);
      if (previous.outcome() == StepOutcome.FAILED) {
        stops.add(previous.detail());
      }
    }
    return stops.isEmpty() ? null : "pre-flight: " + String.join("; ", stops);
  }

  /**
   * Asks the worker whether it has every variable the pipeline and the environment file name
   * ({@code password_env}, {@code webhook_env}), so that a missing one stops the deployment now
   * rather than failing a step after the database changed or during the rollback.
   */
  private StepResult checkVariables(EnvironmentDefinition definition, ReleasePipeline pipeline) {
    Map<String, String> named = new LinkedHashMap<>();
    if (definition.database() != null && definition.database().passwordEnv() != null) {
      named.putIfAbsent(definition.database().passwordEnv(), "password_env of environment " + definition.name());
    }
    pipeline.stages().forEach((name, list) -> list.forEach(step -> {
      if (step instanceof PipelineStep.Webhook webhook && webhook.webhookEnv() != null) {
        named.putIfAbsent(webhook.webhookEnv(), "webhook_env of " + name + " step '" + step.name() + "'");
      }
    }));
    if (named.isEmpty()) {
      return new StepResult("pre_flight", "Worker variables configured", "variables", StepOutcome.PASSED, 0,
          "the definition names no worker variable");
    }
    long started = Workflow.currentTimeMillis();
    VariablesCheck check;
    try {
      check = Workflow.newActivityStub(ReleaseActivities.class, ReleaseActivityOptions.BOOKKEEPING)
          .checkVariables(new CheckVariablesRequest(List.copyOf(named.keySet())));
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return new StepResult("pre_flight", "Worker variables configured", "variables", StepOutcome.FAILED,
          Workflow.currentTimeMillis() - started, "the worker's variables could not be checked: "
              + Failures.message(failure));
    }
    long took = Workflow.currentTimeMillis() - started;
    if (check.missing().isEmpty()) {
      return new StepResult("pre_flight", "Worker variables configured", "variables", StepOutcome.PASSED, took,
          "set on the worker: " + String.join(", ", named.keySet()));
    }
    List<String> missing = check.missing().stream().map(name -> name + " (" + named.get(name) + ")").toList();
    return new StepResult("pre_flight", "Worker variables configured", "variables", StepOutcome.FAILED, took,
        "not set on the worker: " + String.join(", ", missing)
            + "; set them in the worker's environment and restart it");
  }

  /** Looks up the version deployed before this one, for {@code $PREVIOUS_VERSION} and its kin. */
  private StepResult findPreviousDeployment(StepRunner runner) {
    long started = Workflow.currentTimeMillis();
    PreviousDeployment previous;
    try {
      previous = Workflow.newActivityStub(ReleaseActivities.class, ReleaseActivityOptions.BOOKKEEPING)
          .findPreviousDeployment(new FindPreviousDeploymentRequest(request.project(), request.environment(),
              Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId()));
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return new StepResult("pre_flight", "Previous version", "ledger", StepOutcome.FAILED,
          Workflow.currentTimeMillis() - started, "the version deployed before this one could not be read: "
              + Failures.message(failure));
    }
    runner.previous(previous);
    return new StepResult("pre_flight", "Previous version", "ledger", StepOutcome.PASSED,
        Workflow.currentTimeMillis() - started, previous.found()
            ? "PREVIOUS_VERSION=" + previous.version() + ", PREVIOUS_DATE="
                + StepRunner.previousDate(previous.deployedAt()) + " (deployed " + previous.deployedAt() + " by "
                + previous.workflowId() + ")"
            : "no version was deployed to " + request.environment() + " before this one: PREVIOUS_VERSION and"
                + " PREVIOUS_DATE are empty, and commands that use them are skipped");
  }

  /** Records this deployment as the one the next deployment of the environment would go back to. */
  private void recordDeployment() {
    long started = Workflow.currentTimeMillis();
    try {
      Workflow.newActivityStub(ReleaseActivities.class, ReleaseActivityOptions.BOOKKEEPING)
          .recordDeployment(new RecordDeploymentRequest(request.project(), request.environment(), request.version(),
              request.release().commit(), Workflow.getInfo().getWorkflowId(),
              Workflow.getInfo().getRunId()));
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      record(new StepResult("watch", "Record the deployment", "ledger", StepOutcome.WARNED,
          Workflow.currentTimeMillis() - started, "the next deployment will not know this version as the previous"
              + " one: " + Failures.message(failure)));
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
      if (step.kind() != StepKind.BACKUP && runner.backupPath() == null && !implicitBackupSkipped
          && readinessVersion >= 1 && definition(request).database() == null) {
        // Pre-flight said so already; the report says it again where the backup would have been.
        implicitBackupSkipped = true;
        record(new StepResult(name, "Backup before changes (the runbook: always back up before migrating)",
            StepKind.BACKUP.yamlName(), StepOutcome.SKIPPED, 0, "no database is configured, so the built-in"
                + " backup cannot run; the pipeline's own steps must back the database up"));
      }
      if (step.kind() != StepKind.BACKUP && runner.backupPath() == null && !implicitBackupSkipped) {
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
        List.copyOf(steps), List.copyOf(rollbackSteps), runner.backupPath(), badVersion, decisions(),
        startedAt, now(), ApprovalRulesSource.line(request.release(), request.environment()));
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
    String approvalRules = ApprovalRulesSource.line(request.release(), request.environment());
    if (pending != null && approvalRules != null) {
      text.append(approvalRules).append("\n\n");
    }
    if (signing != null && (pending != null || (watchStep != null && watchStep.pending() != null))) {
      text.append("Plan hash `").append(signing.planHash()).append("`: a signed decision (`silo release approve`)")
          .append(" names it; a decision on any other plan is refused.\n\n");
    }
    PendingWatchDecision undecided = watchStep == null ? null : watchStep.pending();
    if (undecided != null) {
      text.append("The watch window cannot decide (").append(undecided.reason()).append("). Signal `")
          .append(APPROVE).append("` to accept the version or `").append(REJECT).append("` to roll it back, with `")
          .append("{\"actor\": \"<you>\", \"comment\": \"<why>\"}`")
          .append(undecided.deciders().isEmpty() ? "" : " (one of " + String.join(", ", undecided.deciders()) + ")")
          .append("; it rolls back at ").append(undecided.deadline()).append(".\n\n")
          .append("| reading at | trigger | outcome | detail |\n|---|---|---|---|\n");
      for (WatchReading reading : undecided.readings()) {
        text.append("| ").append(reading.at()).append(" | ").append(reading.trigger()).append(" | ")
            .append(reading.outcome()).append(" | ").append(reading.detail().replace('|', '/').replace('\n', ' '))
            .append(" |\n");
      }
      text.append('\n');
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

  /**
   * Under a worker that verifies signatures, runs only as the child of its release pipeline, which
   * verified the start and read the approval rules from their protected source: a deployment
   * started directly could bring its own rules and name anyone as its requester.
   */
  private void requireItsPipeline(AllowedSigners trust) {
    if (!trust.configured()) {
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
  private DecisionSigning decisionSigning(EnvironmentDefinition definition, AllowedSigners trust) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("project", request.project());
    plan.put("version", request.version());
    plan.put("commit", request.release().commit());
    plan.put("environment", definition);
    plan.put("pipeline", request.release().definition().pipeline());
    boolean unsignedAdmitted = !definition.requireApproval() || unsignedAdmitted(definition);
    // Recorded, so that a later change to these records' shape cannot change what a run replays with.
    String planHash = Workflow.sideEffect(String.class, () -> PlanHash.of(plan));
    return new DecisionSigning(trust, request.requesterFingerprint(), unsignedAdmitted, planHash);
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
        Workflow.getInfo().getWorkflowId(), status, stage,
        status == EnvironmentStatus.WAITING_FOR_LOCK ? lockId : null, gate.pending(),
        List.copyOf(steps), decisions(), report, watchStep == null ? null : watchStep.pending(),
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
