package dev.silo.starter;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockAcquisition;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.lock.LockGrant;
import dev.silo.workflows.lock.LockRelease;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.release.ApprovalOutcome;
import dev.silo.workflows.release.ApprovalVerdict;
import dev.silo.workflows.release.BadVersion;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.EnvironmentDeploymentRequest;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.PendingApproval;
import dev.silo.workflows.release.PendingWatchDecision;
import dev.silo.workflows.release.ReadingOutcome;
import dev.silo.workflows.release.Stage;
import dev.silo.workflows.release.StepOutcome;
import dev.silo.workflows.release.StepResult;
import dev.silo.workflows.release.WatchReading;
import dev.silo.workflows.signing.DecisionText;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only deployment to one environment whose course the test steers: it queues on the
 * environment's lock, passes pre-flight, waits for the approvals the environment's definition asks
 * for ({@code approve}/{@code reject}, as signals or as Updates whose validators refuse what would be
 * ignored; typed names only, nothing is verified), deploys, then watches until the test sends {@link
 * #WATCH_VERDICT}: an empty verdict succeeds, {@link #INCONCLUSIVE} waits for a person to accept
 * ({@code approve}) or roll back ({@code reject}), any other is a trigger that rolls the version
 * back.
 */
public class ScriptedEnvironmentDeployment implements EnvironmentDeploymentWorkflow {

  /** The test's signal ending the watch window: empty for a quiet window, else the trigger that fired. */
  static final String WATCH_VERDICT = "watchVerdict";

  /** The verdict of a watch window whose metrics could not be read. */
  static final String INCONCLUSIVE = "inconclusive";

  private final EnvironmentDeploymentRequest request;
  private final String workflowId;
  private final String lockId;
  private final LockActivities locks = Workflow.newActivityStub(LockActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
  private EnvironmentStatus status = EnvironmentStatus.WAITING_FOR_LOCK;
  private Stage stage = Stage.QUEUE;
  private final List<StepResult> steps = new ArrayList<>();
  private final List<StepResult> rollback = new ArrayList<>();
  private final List<DecisionRecord> decisions = new ArrayList<>();
  private List<String> approvers = List.of();
  private int required;
  private String deadline;
  private final List<String> approvedBy = new ArrayList<>();
  private String rejection;
  private boolean granted;
  private String verdict;
  private String backupPath;
  private EnvironmentReport report;
  private PendingWatchDecision undecided;
  private Boolean watchAccepted;
  private String planHash;

  @WorkflowInit
  public ScriptedEnvironmentDeployment(EnvironmentDeploymentRequest request) {
    this.request = request;
    this.workflowId = Workflow.getInfo().getWorkflowId();
    this.lockId = EnvironmentLockWorkflow.workflowId(request.project(), request.environment());
  }

  @Override
  public EnvironmentReport deploy(EnvironmentDeploymentRequest request) {
    Workflow.registerListener((DynamicSignalHandler) (name, arguments) -> {
      if (WATCH_VERDICT.equals(name)) {
        verdict = arguments.get(0, String.class);
      }
    });
    String startedAt = now();
    locks.requestLock(new LockAcquisition(lockId, TaskQueues.SILO,
        new LockRequest(workflowId, request.version(), request.requester(), startedAt)));
    Workflow.await(() -> granted);
    status = EnvironmentStatus.RUNNING;
    stage = Stage.PRE_FLIGHT;
    steps.add(new StepResult(Stage.PRE_FLIGHT, "lint", "command", StepOutcome.PASSED, 400, "exit 0"));

    EnvironmentDefinition definition = request.release().definition().environments().stream()
        .filter(environment -> environment.name().equals(request.environment()))
        .findFirst()
        .orElseThrow();
    ApprovalOutcome approval = new ApprovalOutcome(false, List.of(), 0, List.of(), ApprovalVerdict.NOT_REQUIRED, null);
    if (definition.requireApproval()) {
      approvers = definition.approvers().stream().filter(name -> !name.equals(request.requester())).toList();
      required = definition.minApprovals();
      deadline = Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(Duration.ofDays(1)).toString();
      planHash = DecisionText.hash(request.project() + " " + request.version() + " to " + request.environment());
      status = EnvironmentStatus.AWAITING_APPROVAL;
      stage = Stage.APPROVAL;
      Workflow.await(() -> rejection != null || approvedBy.size() >= required);
      if (rejection != null) {
        return end(EnvironmentStatus.REJECTED, rejection,
            new ApprovalOutcome(true, approvers, required, List.copyOf(approvedBy), ApprovalVerdict.REJECTED, rejection), startedAt);
      }
      approval = new ApprovalOutcome(true, approvers, required, List.copyOf(approvedBy), ApprovalVerdict.APPROVED, null);
    }

    status = EnvironmentStatus.RUNNING;
    stage = Stage.SCHEMA_DEPLOY;
    backupPath = "/var/backups/" + request.project() + "-" + request.environment() + ".dump";
    steps.add(new StepResult(Stage.SCHEMA_DEPLOY, "migrate", "migrate", StepOutcome.PASSED, 1_200,
        "applied 20240101000000_init.sql\napplied 20240201000000_orders.sql"));
    steps.add(new StepResult(Stage.HEALTH_CHECKS, "api health", "http", StepOutcome.PASSED, 300, "GET /health 200"));
    status = EnvironmentStatus.WATCHING;
    stage = Stage.WATCH;
    Workflow.await(() -> verdict != null);
    if (verdict.equals(INCONCLUSIVE)) {
      String at = now();
      undecided = new PendingWatchDecision("1 inconclusive reading(s) of error_rate > 1% (limit 1), the last: the"
          + " metrics source could not be read", List.of(), Instant.parse(at).plus(Duration.ofDays(1)).toString(),
          List.of(new WatchReading(at, "error_rate > 1%", ReadingOutcome.INCONCLUSIVE,
              "the metrics source could not be read")));
      status = EnvironmentStatus.AWAITING_DECISION;
      Workflow.await(() -> watchAccepted != null);
      undecided = null;
      verdict = watchAccepted ? "" : "rolled back after inconclusive readings";
    }
    if (verdict.isEmpty()) {
      steps.add(new StepResult(Stage.WATCH, "watch window", "watch", StepOutcome.PASSED, 60_000, "no trigger fired"));
      return end(EnvironmentStatus.SUCCEEDED, null, approval, startedAt);
    }
    steps.add(new StepResult(Stage.WATCH, "watch window", "watch", StepOutcome.FAILED, 20_000, verdict));
    status = EnvironmentStatus.ROLLING_BACK;
    stage = Stage.ROLLBACK;
    rollback.add(new StepResult(Stage.ROLLBACK, "restore backup", "restore", StepOutcome.PASSED, 2_500,
        "restored " + backupPath));
    return end(EnvironmentStatus.ROLLED_BACK, "watch window: " + verdict, approval, startedAt);
  }

  private EnvironmentReport end(EnvironmentStatus outcome, String reason, ApprovalOutcome approval, String startedAt) {
    status = outcome;
    stage = null;
    BadVersion mark = outcome == EnvironmentStatus.ROLLED_BACK
        ? new BadVersion(request.project(), request.version(), true, request.environment(), verdict, workflowId, now())
        : null;
    report = new EnvironmentReport(request.project(), request.environment(), request.version(),
        request.release().commit(), workflowId, outcome, reason, approval, List.copyOf(steps), List.copyOf(rollback),
        outcome == EnvironmentStatus.REJECTED ? null : backupPath, mark, List.copyOf(decisions), startedAt, now());
    Workflow.newExternalWorkflowStub(EnvironmentLockWorkflow.class, lockId).release(new LockRelease(workflowId));
    if (outcome == EnvironmentStatus.SUCCEEDED) {
      return report;
    }
    throw ApplicationFailure.newNonRetryableFailure(request.environment() + " " + outcome + ": " + reason,
        FailureType.ENVIRONMENT_DEPLOYMENT_FAILED.type(), report);
  }

  @Override
  public void approve(Decision decision) {
    take(APPROVE, decision, "signal");
  }

  @Override
  public void reject(Decision decision) {
    take(REJECT, decision, "signal");
  }

  @Override
  public DecisionRecord approveUpdate(Decision decision) {
    return take(APPROVE, decision, "update");
  }

  /** Refuses, as the real deployment's validator does, a decision that would be ignored. */
  @Override
  public void validateApprove(Decision decision) {
    refuseWhenIgnored(APPROVE, decision);
  }

  @Override
  public DecisionRecord rejectUpdate(Decision decision) {
    return take(REJECT, decision, "update");
  }

  @Override
  public void validateReject(Decision decision) {
    refuseWhenIgnored(REJECT, decision);
  }

  /**
   * Rejects the Update with the reason. Temporal's Java SDK 1.38 serializes an {@code
   * ApplicationFailure} thrown by a validator twice (sdk-java#2875), which loses its reason under
   * the payload codec; any other exception rejects the Update too, serialized once, so this double
   * throws one and the tests see the reason the CLI prints.
   */
  private void refuseWhenIgnored(String kind, Decision decision) {
    String refusal = refusal(kind, decision);
    if (refusal != null) {
      throw new DecisionRefused(refusal);
    }
  }

  /** A validator's refusal; on the client, an {@code ApplicationFailure} of this class's name. */
  static final class DecisionRefused extends RuntimeException {

    DecisionRefused(String reason) {
      super(reason);
    }
  }

  /** Why a decision would be ignored; null when it takes effect. Typed names only: nothing is verified. */
  private String refusal(String kind, Decision decision) {
    if (status == EnvironmentStatus.AWAITING_DECISION) {
      return null;
    }
    if (status != EnvironmentStatus.AWAITING_APPROVAL) {
      return "no approval gate is open (status " + status + ")";
    }
    if (!approvers.contains(decision.actor())) {
      return decision.actor() + " is not an approver (" + String.join(", ", approvers) + ")";
    }
    if (kind.equals(APPROVE) && approvedBy.contains(decision.actor())) {
      return decision.actor() + " has already approved";
    }
    return null;
  }

  private DecisionRecord take(String kind, Decision decision, String via) {
    String refusal = refusal(kind, decision);
    if (refusal != null) {
      return record(kind, decision, false, "ignored: " + refusal, via);
    }
    if (status == EnvironmentStatus.AWAITING_DECISION) {
      watchAccepted = kind.equals(APPROVE);
      return record(kind, decision, true, watchAccepted
          ? "the version is accepted despite the inconclusive readings" : "the version is rolled back", via);
    }
    if (kind.equals(REJECT)) {
      rejection = "rejected by " + decision.actor() + ": " + decision.comment();
      return record(kind, decision, true, "deployment rejected", via);
    }
    approvedBy.add(decision.actor());
    return record(kind, decision, true, approvedBy.size() + " of " + required, via);
  }

  private DecisionRecord record(String signal, Decision decision, boolean accepted, String note, String via) {
    DecisionRecord record = new DecisionRecord(signal, decision.actor(), decision.comment(),
        Instant.ofEpochMilli(Workflow.currentTimeMillis()), accepted, note, via, null, planHash,
        DecisionRecord.UNSIGNED);
    decisions.add(record);
    return record;
  }

  @Override
  public void lockGranted(LockGrant grant) {
    granted = true;
  }

  @Override
  public EnvironmentProgress progress() {
    PendingApproval pending = status == EnvironmentStatus.AWAITING_APPROVAL
        ? new PendingApproval(approvers, required, List.copyOf(approvedBy), deadline)
        : null;
    return new EnvironmentProgress(request.project(), request.environment(), request.version(), workflowId, status,
        stage, status == EnvironmentStatus.WAITING_FOR_LOCK ? lockId : null, pending, List.copyOf(steps),
        List.copyOf(decisions), report, undecided, status == EnvironmentStatus.AWAITING_APPROVAL ? planHash : null);
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }
}
