package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.DurationRange;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.PlanHash;
import dev.silo.workflows.signing.TrustActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The silo deployment, step by step as the runbook lists them. Each step lives in its own class;
 * this one holds the order, the human decisions and what happens when a step fails.
 *
 * <p>Versioning rule: any change to the order or kind of commands this code issues goes behind
 * {@code Workflow.getVersion}, and the replay test over {@code src/test/resources/histories} must
 * stay green.
 */
public class SiloDeploymentWorkflowImpl implements SiloDeploymentWorkflow {

  /**
   * The change that gives a stopped run's desk records the same guarantee as a deployed one's:
   * repeated until acknowledged, with NEEDS_ATTENTION and {@code retryDesk} in between.
   */
  static final String DESK_UNTIL_ACKNOWLEDGED = "desk-stop-until-acknowledged";

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

  private final DeploymentProgress progress;
  private final DecisionInbox inbox;
  private StepName flyCompensationScope;

  /** Prepares the state signals and queries see, before the workflow method runs. */
  @WorkflowInit
  public SiloDeploymentWorkflowImpl(SiloDeploymentRequest request) {
    this.progress = new DeploymentProgress(Workflow.getInfo().getWorkflowId());
    this.inbox = new DecisionInbox(progress, request.requester(), request.approval());
  }

  @Override
  public SiloReport deploy(SiloDeploymentRequest request) {
    List<String> nameProblems = nameProblems(request);
    if (!nameProblems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid silo name: " + String.join("; ", nameProblems), FailureType.INVALID_REQUEST.type());
    }
    requireDurationsInRange(request);
    SiloNames names = request.names();
    requireSiloWorkflowId(names);
    String workflowId = Workflow.getInfo().getWorkflowId();
    boolean signed = Workflow.getVersion(SIGNED_DECISIONS, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    if (signed) {
      identifyRequester(request, workflowId);
    }
    ReportStep report = new ReportStep(names, workflowId, inbox.requester());
    DeskStep desk = new DeskStep(workflowId, names);
    FlyStep fly = new FlyStep();
    progress.identify(names);
    try {
      ValidateStep.Validated validated = validateAndApprove(request, report, desk, signed);

      List<ContainerResult> containers = containers(request, names, validated);
      report.containers(request.skipContainers() ? null : validated.plan().dockerTaskQueue(), containers);

      progress.begin(StepName.FLY, "ensuring organization " + names.flyOrg());
      report.flyStep(fly);
      flyCompensationScope = StepName.FLY;
      FlyStep.FlyOutcome flyOutcome = fly.run(names, validated.config(), progress);
      flyCompensationScope = null;
      report.fly(fly, flyOutcome);
      progress.finish(StepName.FLY, StepState.SUCCEEDED, flyOutcome.deployments().size() + " apps started, "
          + flyOutcome.migrations().applied().size() + " migrations applied");

      progress.begin(StepName.GIT, "pushing " + names.branch());
      BranchResult branch = new GitStep().run(names, inbox, request.approval().timeout());
      report.branch(branch);
      progress.finish(StepName.GIT, StepState.SUCCEEDED, branch.branch() + " " + branch.outcome());

      progress.begin(StepName.NETLIFY, "configuring branch deploys for " + names.branch());
      NetlifyStep netlifyStep = new NetlifyStep();
      report.netlifyStep(netlifyStep);
      SiloReport.NetlifyReport netlify = netlifyStep.run(workflowId, names.branch(),
          ValidateStep.netlifyVariables(names, validated.config(), flyOutcome.keys().anonKey()), progress);
      report.netlify(netlify);
      progress.finish(StepName.NETLIFY, StepState.SUCCEEDED, (netlify.alreadyConfigured()
          ? "configured by an earlier run, left untouched; " : "configured; ")
          + (netlify.deployId() == null ? "no build" : "deploy " + netlify.deployId() + " ready") + ": "
          + netlify.previewUrl());

      progress.begin(StepName.DESK, "recording the silo as active");
      recordProvisioned(desk, report, containers, validated, flyOutcome, branch, netlify);
      progress.finish(StepName.DESK, StepState.SUCCEEDED, "status active, event provisioned, application updated");

      progress.begin(StepName.REPORT, "writing the report");
      progress.finish(StepName.REPORT, StepState.SUCCEEDED, "silo deployed");
      SiloReport finalReport = report.build(SiloStatus.DEPLOYED, null, progress);
      progress.report(finalReport);
      return finalReport;
    } catch (StepFailure failure) {
      throw stop(failure, fly, desk, report);
    } catch (CanceledFailure | ActivityFailure failure) {
      if (!Failures.isCancellation(failure)) {
        throw stop(new StepFailure(progress.snapshot().currentStep(), Failures.message(failure)), fly, desk, report);
      }
      cancelled(fly, desk, report);
      throw failure;
    }
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

  private List<ContainerResult> containers(SiloDeploymentRequest request, SiloNames names,
      ValidateStep.Validated validated) {
    List<ComposeService> services = validated.config().services();
    if (request.skipContainers()) {
      progress.begin(StepName.DOCKER, "no container engine serves this deployment");
      List<ContainerResult> skipped = services.stream()
          .map(service -> new ContainerResult(service.name(), null, ContainerHealth.SKIPPED,
              "no container engine serves this deployment", null))
          .toList();
      skipped.forEach(c -> progress.degraded(new DegradedItem(StepName.DOCKER, c.service(), "SKIPPED: " + c.message())));
      progress.finish(StepName.DOCKER, StepState.SKIPPED, services.size() + " containers skipped: no container engine");
      return skipped;
    }
    String taskQueue = validated.plan().dockerTaskQueue();
    progress.begin(StepName.DOCKER, "starting " + services.size() + " containers on task queue " + taskQueue);
    List<ContainerResult> containers = new DockerStep(taskQueue).run(names.composeProject(), services);
    long up = containers.stream().filter(c -> c.health().isUp()).count();
    containers.stream().filter(c -> !c.health().isUp()).forEach(c ->
        progress.degraded(new DegradedItem(StepName.DOCKER, c.service(), c.health() + ": " + c.message())));
    progress.finish(StepName.DOCKER, up == containers.size() ? StepState.SUCCEEDED : StepState.DEGRADED,
        up + "/" + containers.size() + " containers up");
    return containers;
  }

  private ValidateStep.Validated validateAndApprove(SiloDeploymentRequest request, ReportStep report, DeskStep desk,
      boolean signed) {
    progress.begin(StepName.VALIDATE, "loading the config and the desk's application record");
    ValidateStep.Validated validated = new ValidateStep().run(request);
    while (true) {
      String planHash = publish(validated, signed);
      String question = "approve the deployment plan of " + validated.plan().siloId() + " ("
          + validated.plan().containers().size() + " containers, " + validated.plan().flyApps().size()
          + " Fly apps, branch " + validated.plan().branch() + ")" + (signed
          ? ", plan " + DecisionText.shortHash(planHash) : "") + "?";
      Boolean approved = inbox.ask(StepName.VALIDATE, SiloStatus.AWAITING_APPROVAL,
          DecisionInbox.Question.APPROVAL, SiloDeploymentWorkflow.APPROVE, question, request.approval().timeout());
      if (approved == null || !approved) {
        String reason = approved == null
            ? "not approved within " + request.approval().timeout()
            : "rejected by " + lastAcceptedActor();
        throw abort(reason, desk, report);
      }
      if (!signed) {
        break;
      }
      // What was approved must be what runs: the config is read again, and a plan that changed
      // while it waited voids the approval and is asked about again.
      progress.update(StepName.VALIDATE, "checking that the approved plan still matches the config");
      ValidateStep.Validated again = new ValidateStep().run(request);
      String againHash = planHash(again);
      if (againHash.equals(planHash)) {
        break;
      }
      progress.decision(new DecisionRecord(SiloDeploymentWorkflow.APPROVE, null, null, progress.now(), false,
          "approvals void: the plan changed after it was approved (" + DecisionText.shortHash(planHash) + " -> "
              + DecisionText.shortHash(againHash) + "); asking again",
          null, null, planHash, null));
      validated = again;
    }
    progress.finish(StepName.VALIDATE, StepState.SUCCEEDED, "plan approved by " + lastAcceptedActor());
    return validated;
  }

  /** Shows the plan with its hash, and tells the inbox whether the silo admits unsigned decisions. */
  private String publish(ValidateStep.Validated validated, boolean signed) {
    String planHash = signed ? planHash(validated) : null;
    progress.plan(validated.plan(), planHash);
    inbox.admitUnsigned(validated.config().allowUnsignedDecisions());
    return planHash;
  }

  /**
   * The hash of what is approved: the plan shown and the config it was built from, file contents
   * included (migrations' SQL, the Compose services, the Fly apps, the Netlify variables), so that
   * what runs is what was approved. Recorded as a side effect: a later change to these records'
   * shape or to the JSON library cannot change the hash a recorded run replays with.
   */
  private static String planHash(ValidateStep.Validated validated) {
    Map<String, Object> approved = new LinkedHashMap<>();
    approved.put("plan", validated.plan());
    approved.put("config", validated.config());
    return Workflow.sideEffect(String.class, () -> PlanHash.of(approved));
  }

  /**
   * Takes the worker's allowed signers and identifies the requester by the key that signed the
   * start; a start the worker cannot verify ends the run before anything is read or written.
   */
  private void identifyRequester(SiloDeploymentRequest request, String workflowId) {
    AllowedSigners trust = Workflow.newActivityStub(TrustActivities.class, SiloActivityOptions.TRUST).allowedSigners();
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

  private void recordProvisioned(DeskStep desk, ReportStep report, List<ContainerResult> containers,
      ValidateStep.Validated validated, FlyStep.FlyOutcome fly, BranchResult branch,
      SiloReport.NetlifyReport netlify) {
    int up = (int) containers.stream().filter(c -> c.health().isUp()).count();
    List<String> configs = new ArrayList<>();
    configs.add(validated.config().composeFile());
    validated.config().flyApps().forEach(spec -> configs.add(spec.configFile()));
    configs.add("netlify.env.silo");
    DeskStep.Provisioned silo = new DeskStep.Provisioned(up, up == containers.size() ? "running" : "degraded",
        configs, fly.deployments().size(), branch.branch(), netlify.previewUrl(), fly.database().displayUrl(),
        fly.keys().anonKey());
    // One timestamp for every attempt: a re-sent write is then identical to the one the desk may
    // already hold, and the status and application record never disagree on when it happened.
    String timestamp = progress.now().toString();
    DeskOutcome outcome = untilDeskAcknowledges(StepName.DESK, "recording the silo as active",
        () -> desk.recordProvisioned(silo, timestamp));
    report.deskProvisioned(netlify.previewUrl(), outcome);
  }

  /**
   * Repeats a set of desk writes (each already attempted three times by its activity's retries)
   * until the desk acknowledges every one, waiting for an operator's {@code retryDesk} between
   * attempts: the runbook says never to leave the desk inconsistent. Every attempt re-sends the
   * whole set with the same keys and contents, so what the desk already holds is not duplicated.
   */
  private DeskOutcome untilDeskAcknowledges(StepName step, String what, Supplier<DeskOutcome> writes) {
    DeskOutcome outcome = writes.get();
    while (!outcome.complete()) {
      inbox.ask(step, SiloStatus.NEEDS_ATTENTION, DecisionInbox.Question.DESK_RETRY,
          SiloDeploymentWorkflow.RETRY_DESK,
          "the desk failed 3 times " + what + " (" + outcome.problem() + "; acknowledged so far: "
              + outcome.acknowledged() + "); fix it, then send retryDesk", null);
      outcome = writes.get();
    }
    return outcome;
  }

  /**
   * Tells the desk that the run stopped (status {@code error} when asked, and the event). Runs
   * started before the change {@value #DESK_UNTIL_ACKNOWLEDGED} tried once, best effort; since it,
   * the writes are repeated as a set until the desk acknowledges them all ({@link #untilDeskAcknowledges}): the
   * run stays open in NEEDS_ATTENTION, on the step that stopped, until an operator's {@code
   * retryDesk} gets them through. They run in a detached scope, so a cancellation arriving while
   * the run waits cannot end it with the desk half written; a run already cancelled waits the same
   * way before it closes as cancelled.
   *
   * @return null when the desk holds the records, else why it does not
   */
  private String recordStopped(DeskStep desk, ReportStep report, String event, StepName step, String reason,
      boolean setErrorStatus) {
    String timestamp = progress.now().toString();
    Supplier<DeskOutcome> writes = () -> desk.recordStopped(event, step, reason, setErrorStatus, timestamp);
    DeskOutcome outcome;
    if (Workflow.getVersion(DESK_UNTIL_ACKNOWLEDGED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      outcome = writes.get();
    } else {
      AtomicReference<DeskOutcome> acknowledged = new AtomicReference<>();
      Workflow.newDetachedCancellationScope(
          () -> acknowledged.set(untilDeskAcknowledges(step, "recording the " + event + " event", writes))).run();
      outcome = acknowledged.get();
    }
    report.deskStopped(event, setErrorStatus, outcome);
    return outcome.problem();
  }

  /** Rejected or not approved in time: nothing was created; the desk gets an event. */
  private ApplicationFailure abort(String reason, DeskStep desk, ReportStep report) {
    report.stopped(StepName.VALIDATE, reason);
    String deskProblem = recordStopped(desk, report, "aborted", StepName.VALIDATE, reason, false);
    progress.finish(StepName.VALIDATE, StepState.FAILED, reason);
    progress.skipRemaining();
    reportWritten();
    SiloReport finalReport = report.build(SiloStatus.ABORTED, deskNote(reason, deskProblem), progress);
    progress.report(finalReport);
    return ApplicationFailure.newNonRetryableFailure(
        "silo deployment aborted: " + reason, FailureType.SILO_DEPLOYMENT_ABORTED.type(), finalReport);
  }

  /**
   * A step failed: undo what the runbook says to undo (the Fly apps this run created, when the Fly
   * step failed), then mark the silo {@code error} in the desk.
   */
  private ApplicationFailure stop(StepFailure failure, FlyStep fly, DeskStep desk, ReportStep report) {
    report.stopped(failure.step(), failure.getMessage());
    if (failure.step() == StepName.FLY) {
      progress.update(StepName.FLY, "destroying the Fly apps this run created");
      Workflow.newDetachedCancellationScope(fly::compensate).run();
    }
    String deskProblem = null;
    if (failure.step() != StepName.VALIDATE) {
      deskProblem = recordStopped(desk, report, "error", failure.step(), failure.getMessage(), true);
    } else {
      report.deskUntouched("nothing written: the run stopped at " + StepName.VALIDATE + ", before anything changed");
    }
    progress.finish(failure.step(), StepState.FAILED, failure.getMessage());
    progress.skipRemaining();
    reportWritten();
    SiloReport finalReport = report.build(SiloStatus.ERROR, deskNote(failure.getMessage(), deskProblem), progress);
    progress.report(finalReport);
    return ApplicationFailure.newNonRetryableFailure(
        "silo deployment failed at " + failure.step() + ": " + failure.getMessage(),
        FailureType.SILO_DEPLOYMENT_FAILED.type(), finalReport);
  }

  /** An operator cancelled the run: clean up as a failure would, outside the cancelled scope. */
  private void cancelled(FlyStep fly, DeskStep desk, ReportStep report) {
    Workflow.newDetachedCancellationScope(() -> {
      StepName step = progress.snapshot().currentStep();
      // A wait interrupted by the cancellation never resumed: close the question before cleaning up.
      progress.resume(SiloStatus.CANCELLED);
      report.stopped(step, "cancelled by an operator");
      if (flyCompensationScope == StepName.FLY) {
        fly.compensate();
      }
      String deskProblem = recordStopped(desk, report, "cancelled", step, "cancelled by an operator",
          step != StepName.VALIDATE);
      progress.finish(step, StepState.FAILED, "cancelled");
      progress.skipRemaining();
      reportWritten();
      progress.report(report.build(SiloStatus.CANCELLED, deskNote("cancelled by an operator", deskProblem), progress));
    }).run();
  }

  /**
   * Every outcome that ends with a report shows its REPORT step done. It changes no step the run is
   * at, so no search attribute is written and the commands stay those of earlier runs.
   */
  private void reportWritten() {
    progress.finish(StepName.REPORT, StepState.SUCCEEDED, "report written");
  }

  private static String deskNote(String reason, String deskProblem) {
    return deskProblem == null ? reason : reason + " (the desk could not be told: " + deskProblem + ")";
  }

  private String lastAcceptedActor() {
    List<DecisionRecord> decisions = progress.decisions();
    for (int i = decisions.size() - 1; i >= 0; i--) {
      if (decisions.get(i).accepted()) {
        DecisionRecord decision = decisions.get(i);
        return decision.actor() + (decision.comment() == null || decision.comment().isBlank()
            ? "" : " (" + decision.comment() + ")");
      }
    }
    return "nobody";
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
