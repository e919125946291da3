package dev.silo.workflows.silo;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.Failures;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.PlanHash;
import dev.silo.workflows.signing.TrustActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The teardown: admission and the plan's approval here, under the deployment's own {@link
 * DecisionInbox} and {@link DeploymentProgress} (so the same rules decide, and {@code silo approve
 * --destroy} reads the run as it reads a deployment); the survey and the removals in {@link
 * TeardownSteps}. The progress's steps say where each system stands: VALIDATE the plan and its
 * approval (and the drift-check schedule), DOCKER, FLY, GIT, NETLIFY (skipped unless {@code
 * --netlify}), DESK, REPORT.
 */
public class SiloTeardownWorkflowImpl implements SiloTeardownWorkflow {

  private final DeploymentProgress progress;
  private final DecisionInbox inbox;
  private TeardownPlan plan;
  private TeardownReport report;

  /** Prepares the state signals and queries see, before the workflow method runs. */
  @WorkflowInit
  public SiloTeardownWorkflowImpl(SiloTeardownRequest request) {
    this.progress = new DeploymentProgress(Workflow.getInfo().getWorkflowId());
    this.inbox = new DecisionInbox(progress, request.requester(), request.approval());
  }

  @Override
  public TeardownReport destroy(SiloTeardownRequest request) {
    SiloNames names = admit(request);
    progress.identify(names);
    progress.begin(StepName.VALIDATE, "reading what exists");
    TeardownSteps steps = new TeardownSteps(names, request, progress);
    plan = steps.survey();
    String planHash = Workflow.sideEffect(String.class, () -> PlanHash.of(plan));
    progress.plan(null, planHash);
    Boolean approved = inbox.ask(StepName.VALIDATE, SiloStatus.AWAITING_APPROVAL, DecisionInbox.Question.APPROVAL,
        SiloDeploymentWorkflow.APPROVE, question(plan, planHash), request.approval().timeout());
    if (approved == null || !approved) {
      String why = approved == null ? "not approved within " + DurationRange.written(request.approval().timeout())
          : "rejected by " + lastAcceptedActor();
      progress.finish(StepName.VALIDATE, StepState.FAILED, why + "; nothing was removed");
      throw end(SiloStatus.ABORTED, planHash, steps, "teardown " + why + "; nothing was removed", ABORTED);
    }
    try {
      steps.removeSchedule();
      progress.finish(StepName.VALIDATE, StepState.SUCCEEDED, "plan approved by " + lastAcceptedActor());
      steps.run();
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      String why = "the teardown stopped at " + progress.currentStep() + ": "
          + Failures.message(failure) + "; start 'silo destroy' again to resume";
      progress.finish(progress.currentStep(), StepState.FAILED, Failures.message(failure));
      throw end(SiloStatus.ERROR, planHash, steps, why, FAILED);
    }
    progress.begin(StepName.REPORT, "writing the report");
    report = report(SiloStatus.DESTROYED, planHash, steps, null);
    progress.finish(StepName.REPORT, StepState.SUCCEEDED, names.siloId() + " destroyed");
    progress.status(SiloStatus.DESTROYED);
    return report;
  }

  /**
   * Refuses, before anything is read, a request the teardown must not run, and identifies the
   * requester by the key that signed the start, as a deployment does.
   */
  private SiloNames admit(SiloTeardownRequest request) {
    List<String> problems = SiloNames.problems(request.client(), request.app());
    if (!problems.isEmpty()) {
      throw invalid("invalid silo name: " + String.join("; ", problems));
    }
    SiloNames names = request.names();
    if (!ApprovalPolicy.timeoutInRange(request.approval().timeout())) {
      throw invalid("approval timeout " + DurationRange.written(request.approval().timeout())
          + " is out of range: it must be " + ApprovalPolicy.TIMEOUT_RANGE.describe());
    }
    String workflowId = Workflow.getInfo().getWorkflowId();
    if (!workflowId.equals(names.destroyWorkflowId())) {
      throw invalid("workflow ID '" + workflowId + "' is not allowed for the teardown of " + names.siloId()
          + ": start it with workflow ID '" + names.destroyWorkflowId() + "' (one teardown per silo)");
    }
    TrustActivities reader = Workflow.newLocalActivityStub(TrustActivities.class, SiloActivityOptions.TRUST_LOCAL);
    AllowedSigners trust = reader.allowedSigners();
    DecisionCheck.Identity requester = DecisionCheck.start(trust, workflowId, request.signedText(),
        request.requester(), request.start(), Instant.ofEpochMilli(Workflow.getInfo().getRunStartedTimestampMillis()));
    if (requester.refused()) {
      throw invalid(requester.refusal());
    }
    if (trust.configured() && request.approval().allowSelfApproval()) {
      throw invalid("allow-self-approval is refused: the worker verifies signatures, and the requester's own key"
          + " never approves their run");
    }
    inbox.trust(trust, requester);
    return names;
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }

  private static String question(TeardownPlan plan, String planHash) {
    return "approve the teardown of " + plan.siloId() + " (" + plan.containers().size() + " containers, "
        + plan.volumes().size() + " volumes, " + plan.flyApps().size() + " Fly apps, branch "
        + (plan.deleteBranch() ? "deleted" : "kept") + ", Netlify " + (plan.netlify() ? "removed" : "untouched") + "), plan " + DecisionText.shortHash(planHash)
        + "?";
  }

  private ApplicationFailure end(SiloStatus status, String planHash, TeardownSteps steps, String why, String type) {
    progress.skipRemaining();
    report = report(status, planHash, steps, why);
    progress.status(status);
    return ApplicationFailure.newNonRetryableFailure(why, type, report);
  }

  private TeardownReport report(SiloStatus status, String planHash, TeardownSteps steps, String error) {
    return new TeardownReport(plan.siloId(), status, planHash, steps.removed(), steps.kept(status), error,
        progress.decisions());
  }

  private String lastAcceptedActor() {
    List<DecisionRecord> decisions = new ArrayList<>(progress.decisions());
    for (int i = decisions.size() - 1; i >= 0; i--) {
      DecisionRecord decision = decisions.get(i);
      if (decision.accepted()) {
        return decision.actor() + (decision.comment() == null || decision.comment().isBlank()
            ? "" : " (" + decision.comment() + ")");
      }
    }
    return "nobody";
  }

  @Override
  public void approve(Decision decision) {
    inbox.signal(SiloDeploymentWorkflow.APPROVE, decision);
  }

  @Override
  public void reject(Decision decision) {
    inbox.signal(SiloDeploymentWorkflow.REJECT, decision);
  }

  @Override
  public DecisionRecord approveUpdate(Decision decision) {
    return inbox.update(SiloDeploymentWorkflow.APPROVE, decision);
  }

  @Override
  public void validateApprove(Decision decision) {
    inbox.validate(SiloDeploymentWorkflow.APPROVE, decision);
  }

  @Override
  public DecisionRecord rejectUpdate(Decision decision) {
    return inbox.update(SiloDeploymentWorkflow.REJECT, decision);
  }

  @Override
  public void validateReject(Decision decision) {
    inbox.validate(SiloDeploymentWorkflow.REJECT, decision);
  }

  @Override
  public SiloProgress progress() {
    return progress.snapshot();
  }

  @Override
  public TeardownPlan plan() {
    return plan;
  }

  @Override
  public TeardownReport report() {
    return report;
  }
}
