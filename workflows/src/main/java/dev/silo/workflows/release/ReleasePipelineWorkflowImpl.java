package dev.silo.workflows.release;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.signing.TrustActivities;
import dev.silo.workflows.Failures;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The promotion: prepare the version once, then one child deployment per environment up to the
 * target, each only after the previous one succeeded.
 *
 * <p>Versioning rule: any change to the order or kind of commands this code issues goes behind
 * {@code Workflow.getVersion}.
 */
public class ReleasePipelineWorkflowImpl implements ReleasePipelineWorkflow {

  /** The start is verified against the worker's allowed signers; the requester is its key's principal. */
  static final String SIGNED_START = "release-signed-start";

  /**
   * The promotion resumes after the environments an earlier promotion of the same version deployed,
   * and a cancelled one ends with its report.
   */
  static final String RESUME = "release-resume";

  private final ReleaseRequest request;
  private final List<EnvironmentSlot> slots = new ArrayList<>();
  private final ReleaseActivities releases =
      Workflow.newActivityStub(ReleaseActivities.class, ReleaseActivityOptions.PREPARE);
  private final TrustActivities trust = Workflow.newActivityStub(TrustActivities.class, ReleaseActivityOptions.BOOKKEEPING);
  private ReleaseStatus status = ReleaseStatus.RUNNING;
  private String commit;
  private String requester;
  private String requesterFingerprint;
  private ReleaseReport report;
  /** Whether this run resumes after earlier deployments ({@link #RESUME}). */
  private boolean resumes;
  private final List<EarlierDeployment> alreadyDeployed = new ArrayList<>();

  /** Lists the environments up to the target before the workflow method runs. */
  @WorkflowInit
  public ReleasePipelineWorkflowImpl(ReleaseRequest request) {
    this.request = request;
    int target = EnvironmentDefinition.PROMOTION_ORDER.indexOf(request.target());
    for (int i = 0; i <= target; i++) {
      String environment = EnvironmentDefinition.PROMOTION_ORDER.get(i);
      slots.add(new EnvironmentSlot(environment,
          EnvironmentDeploymentWorkflow.workflowId(Workflow.getInfo().getWorkflowId(), environment),
          EnvironmentStatus.PENDING));
    }
  }

  @Override
  public ReleaseReport release(ReleaseRequest request) {
    List<String> problems = problems(request);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid release request: " + String.join("; ", problems), FailureType.INVALID_REQUEST.type());
    }
    requester = request.requester();
    if (Workflow.getVersion(SIGNED_START, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      identifyRequester(request);
    }
    Workflow.upsertTypedSearchAttributes(SiloSearchAttributes.RELEASE_PROJECT.valueSet(request.project()),
        SiloSearchAttributes.RELEASE_VERSION.valueSet(request.version()),
        SiloSearchAttributes.RELEASE_STATUS.valueSet(status.name()));
    Function<String, RuntimeException> unprepared =
        message -> stop(ReleaseStatus.INVALID, "the version could not be prepared: " + message, List.of());
    PreparedRelease prepared = Failures.orStepFailure(
        () -> releases.prepare(new PrepareReleaseRequest(request.project(), request.version())), unprepared);
    commit = prepared.commit();
    BadVersion badVersion = Failures.orStepFailure(
        () -> releases.findBadVersion(new FindBadVersionRequest(request.project(), request.version())), unprepared);
    if (badVersion.bad()) {
      String mark = "version " + request.version() + " was rolled back in " + badVersion.environment() + " ("
          + badVersion.reason() + ")";
      if (request.automatic()) {
        return finish(ReleaseStatus.SKIPPED, mark + "; automatic deployments never apply it again", List.of());
      }
      if (!request.allowBadVersion()) {
        throw stop(ReleaseStatus.INVALID, mark + "; deploy it again only deliberately, with --allow-bad-version",
            List.of());
      }
    }

    resumes = Workflow.getVersion(RESUME, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    Map<String, EarlierDeployment> earlier = resumes
        ? Failures.orStepFailure(() -> earlierDeployments(prepared), unprepared)
        : Map.of();
    List<EnvironmentReport> reports = new ArrayList<>();
    boolean resuming = true;
    for (int i = 0; i < slots.size(); i++) {
      EnvironmentSlot slot = slots.get(i);
      EarlierDeployment done = resuming ? earlier.get(slot.environment()) : null;
      if (done != null) {
        slots.set(i, new EnvironmentSlot(slot.environment(), slot.workflowId(), EnvironmentStatus.ALREADY_DEPLOYED,
            done));
        alreadyDeployed.add(done);
        publish();
        continue;
      }
      // Only the environments before the first one to deploy are skipped: every later one follows it.
      resuming = false;
      if (request.automatic() && !autoDeploys(prepared, slot.environment())) {
        return finish(ReleaseStatus.SUCCEEDED, null, reports);
      }
      slots.set(i, new EnvironmentSlot(slot.environment(), slot.workflowId(), EnvironmentStatus.RUNNING));
      if (resumes) {
        // 'silo release list' shows where each promotion is without asking every run.
        Workflow.upsertTypedSearchAttributes(SiloSearchAttributes.RELEASE_ENVIRONMENT.valueSet(slot.environment()));
      }
      publish();
      EnvironmentReport environmentReport = deployOrEndCancelled(i, prepared, reports);
      reports.add(environmentReport);
      slots.set(i, new EnvironmentSlot(slot.environment(), slot.workflowId(), environmentReport.status()));
      publish();
      if (environmentReport.status() != EnvironmentStatus.SUCCEEDED) {
        throw stop(ReleaseStatus.STOPPED, slot.environment() + " " + environmentReport.status() + ": "
            + environmentReport.reason(), reports);
      }
    }
    return finish(ReleaseStatus.SUCCEEDED, null, reports);
  }

  /**
   * Identifies the requester by the key that signed the start, under the worker's allowed signers.
   * An automation's request ({@code automatic}) is signed too, with the automation's own key: an
   * unsigned one could name anyone as its requester and let that person's key approve.
   */
  private void identifyRequester(ReleaseRequest request) {
    AllowedSigners signers = trust.allowedSigners();
    DecisionCheck.Identity identity = DecisionCheck.start(signers, Workflow.getInfo().getWorkflowId(),
        request.signedText(), request.requester(), request.start(),
        Instant.ofEpochMilli(Workflow.getInfo().getRunStartedTimestampMillis()));
    if (identity.refused()) {
      throw ApplicationFailure.newNonRetryableFailure("invalid release request: " + identity.refusal(),
          FailureType.INVALID_REQUEST.type());
    }
    requester = identity.actor();
    requesterFingerprint = identity.fingerprint();
  }

  /** Who asked: the principal of the key that signed the start, else the name the request gives. */
  private String requester() {
    return requester == null ? request.requester() : requester;
  }

  /** The version's successful deployments at this commit, by environment. */
  private Map<String, EarlierDeployment> earlierDeployments(PreparedRelease prepared) {
    VersionDeployments found = releases.findVersionDeployments(
        new FindVersionDeploymentsRequest(request.project(), request.version(), prepared.commit()));
    Map<String, EarlierDeployment> byEnvironment = new HashMap<>();
    for (EarlierDeployment deployment : found.environments()) {
      byEnvironment.put(deployment.environment(), deployment);
    }
    return byEnvironment;
  }

  /**
   * Deploys the slot's environment. When the promotion is cancelled meanwhile, the deployment rolls
   * back or stops as its own cancellation handling says; then, in a run that resumes, the promotion
   * writes its report (the environment {@code FAILED}, the reason saying who stopped it) before it
   * ends cancelled, so that {@code silo release report} can tell what happened.
   */
  private EnvironmentReport deployOrEndCancelled(int index, PreparedRelease prepared,
      List<EnvironmentReport> reports) {
    EnvironmentSlot slot = slots.get(index);
    try {
      return deploy(slot, prepared);
    } catch (ChildWorkflowFailure | CanceledFailure cancelled) {
      if (!resumes || !Failures.isCancellation(cancelled)) {
        throw cancelled;
      }
      Workflow.newDetachedCancellationScope(() -> {
        slots.set(index, new EnvironmentSlot(slot.environment(), slot.workflowId(), EnvironmentStatus.FAILED));
        finish(ReleaseStatus.STOPPED, "cancelled by an operator during " + slot.environment(), reports);
      }).run();
      throw cancelled instanceof CanceledFailure canceled ? canceled
          : new CanceledFailure("cancelled by an operator during " + slot.environment());
    }
  }

  private EnvironmentReport deploy(EnvironmentSlot slot, PreparedRelease prepared) {
    EnvironmentDeploymentWorkflow child = Workflow.newChildWorkflowStub(EnvironmentDeploymentWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(slot.workflowId())
            .setTypedSearchAttributes(SearchAttributes.newBuilder()
                .set(SiloSearchAttributes.RELEASE_PROJECT, request.project())
                .set(SiloSearchAttributes.RELEASE_VERSION, request.version())
                .set(SiloSearchAttributes.RELEASE_ENVIRONMENT, slot.environment())
                .build())
            // A cancelled promotion lets the deployment roll back and give the environment back.
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .build());
    EnvironmentDeploymentRequest deployment = new EnvironmentDeploymentRequest(request.project(), request.version(),
        slot.environment(), requester, request.automatic(), prepared, requesterFingerprint);
    try {
      return Failures.orStepFailure(() -> reportOf(child, deployment), StepFailure::new);
    } catch (StepFailure failure) {
      return new EnvironmentReport(request.project(), slot.environment(), request.version(), prepared.commit(),
          slot.workflowId(), EnvironmentStatus.FAILED, failure.detail(), null, List.of(), List.of(),
          null, null, List.of(), null, null);
    }
  }

  /**
   * The deployment's report, also when it did not succeed: such a deployment fails with its report
   * as the failure's details. Any other failure of the child is left to the caller.
   */
  private static EnvironmentReport reportOf(EnvironmentDeploymentWorkflow child, EnvironmentDeploymentRequest deployment) {
    try {
      return child.deploy(deployment);
    } catch (ChildWorkflowFailure failure) {
      if (failure.getCause() instanceof ApplicationFailure application && application.getDetails() != null
          && FailureType.ENVIRONMENT_DEPLOYMENT_FAILED.type().equals(application.getType())) {
        return application.getDetails().get(EnvironmentReport.class);
      }
      throw failure;
    }
  }

  private static boolean autoDeploys(PreparedRelease prepared, String environment) {
    return prepared.definition().environments().stream()
        .anyMatch(definition -> definition.name().equals(environment) && definition.autoDeploy());
  }

  private ReleaseReport finish(ReleaseStatus outcome, String reason, List<EnvironmentReport> reports) {
    status = outcome;
    Workflow.upsertTypedSearchAttributes(SiloSearchAttributes.RELEASE_STATUS.valueSet(outcome.name()));
    List<String> notRun = slots.stream()
        .filter(slot -> slot.status() == EnvironmentStatus.PENDING)
        .map(EnvironmentSlot::environment)
        .toList();
    report = new ReleaseReport(request.project(), request.version(), request.target(), requester(),
        request.automatic(), commit, outcome, reason, List.copyOf(reports), notRun,
        resumes ? List.copyOf(alreadyDeployed) : null);
    publish();
    return report;
  }

  /** What the Web UI shows: each environment with its deployment's workflow ID, as Markdown. */
  private void publish() {
    StringBuilder text = new StringBuilder();
    text.append("**").append(request.project()).append(' ').append(request.version()).append(" → ")
        .append(request.target()).append("**: ").append(status)
        .append(commit == null ? "" : " at `" + commit + "`")
        .append(report == null || report.reason() == null ? "" : " (" + report.reason() + ")")
        .append("\n\n| environment | deployment | state |\n|---|---|---|\n");
    for (EnvironmentSlot slot : slots) {
      text.append("| ").append(slot.environment()).append(" | `").append(slot.workflowId()).append("` | ")
          .append(slot.status()).append(slot.earlier() == null ? "" : " (" + slot.earlier().line() + ")")
          .append(" |\n");
    }
    text.append("\nApprovals are sent to the deployment: signal `").append(EnvironmentDeploymentWorkflow.APPROVE)
        .append("` with `{\"actor\": \"<you>\", \"comment\": \"<why>\"}`.\n");
    Workflow.setCurrentDetails(text.toString());
  }

  private ApplicationFailure stop(ReleaseStatus outcome, String reason, List<EnvironmentReport> reports) {
    ReleaseReport finalReport = finish(outcome, reason, reports);
    return ApplicationFailure.newNonRetryableFailure("release " + request.version() + " of " + request.project()
        + " stopped: " + reason, FailureType.RELEASE_FAILED.type(), finalReport);
  }

  static List<String> problems(ReleaseRequest request) {
    List<String> problems = new ArrayList<>();
    for (String problem : new String[] {ReleaseNaming.projectProblem(request.project()),
        ReleaseNaming.versionProblem(request.version()), ReleaseNaming.environmentProblem(request.target())}) {
      if (problem != null) {
        problems.add(problem);
      }
    }
    if (request.requester() == null || request.requester().isBlank()) {
      problems.add("the requester is missing");
    }
    return problems;
  }

  @Override
  public ReleaseProgress progress() {
    return new ReleaseProgress(request.project(), request.version(), request.target(), requester(), commit,
        status, List.copyOf(slots), report);
  }
}
