package dev.silo.workflows.silo;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.signing.TrustActivities;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The silo deployment: the runbook's steps and what each needs, run by {@link SiloRunner}. Each
 * step lives in its own class; this one holds the request's admission and the human decisions.
 *
 * <p>Versioning rule: any change to the order or kind of commands this code issues goes behind
 * {@code Workflow.getVersion}, and the replay test over {@code src/test/resources/histories} must
 * stay green.
 */
public class SiloDeploymentWorkflowImpl implements SiloDeploymentWorkflow {

  /** The change that refuses a run under any workflow ID but {@code silo-{client}-{app}}. */
  static final String WORKFLOW_ID_ENFORCED = "silo-workflow-id-enforced";

  /**
   * The change that verifies the start and every decision against the worker's allowed signers,
   * binds decisions to the plan's hash, and validates the config again after the approval.
   */
  static final String SIGNED_DECISIONS = "signed-decisions";

  /**
   * The change that refuses a client holding a hyphen, whose silo ID another pair could share
   * ({@link SiloNames#collision}).
   */
  static final String UNIQUE_SILO_IDS = "silo-unique-silo-ids";

  /**
   * The change that refuses a request whose durations are out of range ({@link
   * ApprovalPolicy#TIMEOUT_RANGE}) instead of issuing a timer the server refuses.
   */
  static final String DURATIONS_BOUNDED = "silo-request-durations-bounded";

  /**
   * The change that reads the worker's allowed signers as a local activity: a read of the worker's
   * memory, which as an activity cost a round trip through the server before anything else ran.
   */
  static final String TRUST_READ_LOCALLY = "trust-read-locally";

  /**
   * The change that lets a request ask a person what to do about a failed step ({@link
   * OnFailure#ASK}) instead of ending the run. The version is asked only for such a request, so a
   * run without guided failure records no marker.
   */
  static final String GUIDED_FAILURE = "guided-failure";

  private final DeploymentProgress progress;
  private final DecisionInbox inbox;

  /** Prepares the state signals and queries see, before the workflow method runs. */
  @WorkflowInit
  public SiloDeploymentWorkflowImpl(SiloDeploymentRequest request) {
    this.progress = new DeploymentProgress(Workflow.getInfo().getWorkflowId());
    this.inbox = new DecisionInbox(progress, request.requester(), request.approval());
  }

  /**
   * The runbook: the plan approved first; the containers, the Fly apps (organization, apps,
   * migrations, keys) and the branch side by side; Netlify once Fly's anon key and the branch exist;
   * the desk once everything is done; then the report.
   */
  @Override
  public SiloReport deploy(SiloDeploymentRequest request) {
    boolean signed = admit(request);
    SiloNames names = request.names();
    String workflowId = Workflow.getInfo().getWorkflowId();
    DeskStep desk = new DeskStep(workflowId, names, inbox);
    progress.identify(names);
    boolean guided = request.onFailure() == OnFailure.ASK
        && Workflow.getVersion(GUIDED_FAILURE, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    SiloRunner runner = new SiloRunner(progress, inbox, new ReportStep(names, workflowId, inbox.requester()), desk,
        guided);
    return runner.run(List.of(
        new ValidateStep(request, inbox, progress, signed),
        new DockerStep(names, request.skipContainers()),
        new FlyStep(names),
        new GitStep(names, inbox, request.approval().timeout()),
        new NetlifyStep(workflowId, names),
        desk));
  }

  /**
   * Refuses, before anything is read or written, a request the deployment must not run; identifies
   * the requester by the key that signed the start.
   *
   * @return whether the run verifies signed decisions
   */
  private boolean admit(SiloDeploymentRequest request) {
    List<String> nameProblems = nameProblems(request);
    if (!nameProblems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid silo name: " + String.join("; ", nameProblems), FailureType.INVALID_REQUEST.type());
    }
    requireDurationsInRange(request);
    requireSiloWorkflowId(request.names());
    boolean signed = Workflow.getVersion(SIGNED_DECISIONS, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    if (signed) {
      identifyRequester(request, Workflow.getInfo().getWorkflowId());
    }
    return signed;
  }

  /**
   * Every problem with the request's client and app. The version is asked only for a client holding
   * a hyphen, so a valid request records no marker; such a run started before {@value
   * #UNIQUE_SILO_IDS} replays as it ran.
   */
  private static List<String> nameProblems(SiloDeploymentRequest request) {
    List<String> problems = new ArrayList<>(SiloNames.problems(request.client(), request.app()));
    String collision = SiloNames.collision(request.client(), request.app());
    if (collision != null && problems.contains(collision)
        && Workflow.getVersion(UNIQUE_SILO_IDS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      problems.remove(collision);
    }
    return problems;
  }

  /**
   * Refuses a request whose approval timeout (also the wait for a branch overwrite's confirmation)
   * is out of {@link ApprovalPolicy#TIMEOUT_RANGE}: the server refuses a timer that long, and every
   * workflow task of the run would fail until someone terminated it. The version is asked only for
   * such a request, so a valid one records no marker; a run started before {@value
   * #DURATIONS_BOUNDED} replays as it ran.
   */
  private static void requireDurationsInRange(SiloDeploymentRequest request) {
    Duration timeout = request.approval().timeout();
    if (!ApprovalPolicy.timeoutInRange(timeout)
        && Workflow.getVersion(DURATIONS_BOUNDED, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      throw ApplicationFailure.newNonRetryableFailure("approval timeout " + DurationRange.written(timeout)
          + " is out of range: it must be " + ApprovalPolicy.TIMEOUT_RANGE.describe(),
          FailureType.INVALID_REQUEST.type());
    }
  }

  /**
   * Refuses to run under any workflow ID but {@code silo-{client}-{app}}: that ID is what allows
   * one run per silo, and the desk's idempotency keys derive from it, so a parent starting the
   * deployment as its child under another ID would bypass both. The version is asked only when the
   * IDs differ, so a run with the right ID records no marker; a run with another ID started before
   * {@value #WORKFLOW_ID_ENFORCED} replays unchecked.
   */
  private static void requireSiloWorkflowId(SiloNames names) {
    String actual = Workflow.getInfo().getWorkflowId();
    if (!actual.equals(names.workflowId())
        && Workflow.getVersion(WORKFLOW_ID_ENFORCED, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      throw ApplicationFailure.newNonRetryableFailure(
          "workflow ID '" + actual + "' is not allowed for silo " + names.siloId() + ": start the deployment"
              + " with workflow ID '" + names.workflowId() + "' (one run per silo; the Service Desk's"
              + " idempotency keys derive from it)", FailureType.INVALID_REQUEST.type());
    }
  }

  /**
   * Takes the worker's allowed signers and identifies the requester by the key that signed the
   * start; a start the worker cannot verify ends the run before anything is read or written.
   */
  private void identifyRequester(SiloDeploymentRequest request, String workflowId) {
    TrustActivities reader =
        Workflow.getVersion(TRUST_READ_LOCALLY, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION
            ? Workflow.newActivityStub(TrustActivities.class, SiloActivityOptions.TRUST)
            : Workflow.newLocalActivityStub(TrustActivities.class, SiloActivityOptions.TRUST_LOCAL);
    AllowedSigners trust = reader.allowedSigners();
    DecisionCheck.Identity requester = DecisionCheck.start(trust, workflowId, request.signedText(),
        request.requester(), request.start(), Instant.ofEpochMilli(Workflow.getInfo().getRunStartedTimestampMillis()));
    if (requester.refused()) {
      throw ApplicationFailure.newNonRetryableFailure(requester.refusal(), FailureType.INVALID_REQUEST.type());
    }
    if (trust.configured() && request.approval().allowSelfApproval()) {
      throw ApplicationFailure.newNonRetryableFailure("allow-self-approval is refused: the worker verifies"
          + " signatures, and the requester's own key never approves their run", FailureType.INVALID_REQUEST.type());
    }
    inbox.trust(trust, requester);
  }

  @Override
  public void approve(Decision decision) {
    inbox.signal(APPROVE, decision);
  }

  @Override
  public void reject(Decision decision) {
    inbox.signal(REJECT, decision);
  }

  @Override
  public void confirmBranchOverwrite(Decision decision) {
    inbox.signal(CONFIRM_BRANCH_OVERWRITE, decision);
  }

  @Override
  public void retryDesk(Decision decision) {
    inbox.signal(RETRY_DESK, decision);
  }

  @Override
  public void retryStep(Decision decision) {
    inbox.signal(RETRY_STEP, decision);
  }

  @Override
  public void skipStep(Decision decision) {
    inbox.signal(SKIP_STEP, decision);
  }

  @Override
  public void abortStep(Decision decision) {
    inbox.signal(ABORT_STEP, decision);
  }

  @Override
  public DecisionRecord retryStepUpdate(Decision decision) {
    return inbox.update(RETRY_STEP, decision);
  }

  @Override
  public void validateRetryStep(Decision decision) {
    inbox.validate(RETRY_STEP, decision);
  }

  @Override
  public DecisionRecord skipStepUpdate(Decision decision) {
    return inbox.update(SKIP_STEP, decision);
  }

  @Override
  public void validateSkipStep(Decision decision) {
    inbox.validate(SKIP_STEP, decision);
  }

  @Override
  public DecisionRecord abortStepUpdate(Decision decision) {
    return inbox.update(ABORT_STEP, decision);
  }

  @Override
  public void validateAbortStep(Decision decision) {
    inbox.validate(ABORT_STEP, decision);
  }

  @Override
  public SiloProgress progress() {
    return progress.snapshot();
  }

  @Override
  public DecisionRecord approveUpdate(Decision decision) {
    return inbox.update(APPROVE, decision);
  }

  @Override
  public void validateApprove(Decision decision) {
    inbox.validate(APPROVE, decision);
  }

  @Override
  public DecisionRecord rejectUpdate(Decision decision) {
    return inbox.update(REJECT, decision);
  }

  @Override
  public void validateReject(Decision decision) {
    inbox.validate(REJECT, decision);
  }

  @Override
  public DecisionRecord confirmBranchOverwriteUpdate(Decision decision) {
    return inbox.update(CONFIRM_BRANCH_OVERWRITE, decision);
  }

  @Override
  public void validateConfirmBranchOverwrite(Decision decision) {
    inbox.validate(CONFIRM_BRANCH_OVERWRITE, decision);
  }

  @Override
  public DecisionRecord retryDeskUpdate(Decision decision) {
    return inbox.update(RETRY_DESK, decision);
  }

  @Override
  public void validateRetryDesk(Decision decision) {
    inbox.validate(RETRY_DESK, decision);
  }
}
