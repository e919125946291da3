package dev.silo.workflows.silo;

import static dev.silo.workflows.ActivityRetries.retries;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.DeskSiloSection;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.DescribeProjectRequest;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.ProjectResources;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import dev.silo.workflows.fly.DeleteOrganizationRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyOrganizationDeleted;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchRemoved;
import dev.silo.workflows.netlify.RemoveBranchDeployRequest;
import dev.silo.workflows.temporal.DeleteScheduleRequest;
import dev.silo.workflows.temporal.ScheduleDeleted;
import dev.silo.workflows.temporal.TemporalActivities;
import dev.silo.workflows.temporal.WorkflowRunning;
import dev.silo.workflows.temporal.WorkflowRunningRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The teardown's reads and removals. Every removal is asked for whether or not the survey found
 * the thing, since each activity takes absent as done: a run resumed after a crash, or started
 * again after a failure, goes through the same calls and finds less to do.
 */
final class TeardownSteps {

  /** The desk's status and event of a torn-down silo. */
  static final String DECOMMISSIONED = "decommissioned";

  /** The server's own API: quick calls, retried while it is unreachable. */
  private static final ActivityOptions TEMPORAL = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(retries(5, Duration.ofSeconds(1)))
      .build();

  private final SiloNames names;
  private final SiloTeardownRequest request;
  private final DeploymentProgress progress;
  private final String dockerTaskQueue;
  private final DockerActivities docker;
  private final FlyActivities fly = Workflow.newActivityStub(FlyActivities.class, SiloActivityOptions.FLY_DESTROY);
  private final GitActivities git = Workflow.newActivityStub(GitActivities.class, SiloActivityOptions.GIT);
  private final NetlifyActivities netlify =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_API);
  private final DeskActivities desk = Workflow.newActivityStub(DeskActivities.class, SiloActivityOptions.DESK);
  private final TemporalActivities temporal = Workflow.newActivityStub(TemporalActivities.class, TEMPORAL);
  private final List<String> removed = new ArrayList<>();
  private final List<String> kept = new ArrayList<>();
  private String applicationName;

  TeardownSteps(SiloNames names, SiloTeardownRequest request, DeploymentProgress progress) {
    this.names = names;
    this.request = request;
    this.progress = progress;
    this.dockerTaskQueue = request.skipContainers() ? null : DockerTaskQueue.resolve(request.dockerTaskQueue(), null);
    this.docker = dockerTaskQueue == null ? null : Workflow.newActivityStub(DockerActivities.class,
        ActivityOptions.newBuilder(SiloActivityOptions.DOCKER).setTaskQueue(dockerTaskQueue).build());
  }

  /**
   * Refuses a silo that is being deployed or was never deployed, then reads what exists: the
   * project's containers, volumes and networks, and the silo's Fly apps and organization.
   */
  TeardownPlan survey() {
    WorkflowRunning deployment = temporal.siloWorkflowRunning(new WorkflowRunningRequest(names.workflowId()));
    if (deployment.running()) {
      throw refused("the deployment of " + names.siloId() + " is running (workflow " + names.workflowId() + ", run "
          + deployment.runId() + "): destroy the silo once it has ended");
    }
    DeskApplication application = desk.getApplication(new GetApplicationRequest(names.client(), names.app()));
    String status = DeskSiloSection.status(application.silo());
    if (application.silo().isEmpty() || status == null || DECOMMISSIONED.equals(status)) {
      throw refused("silo " + names.siloId() + (DECOMMISSIONED.equals(status) ? " is already decommissioned"
          : " was never deployed (the desk's application has no silo section)") + ": nothing to destroy");
    }
    applicationName = application.name();
    Promise<ProjectResources> project = docker == null ? Workflow.newPromise(new ProjectResources(null, null, null))
        : Async.function(docker::describeProject, new DescribeProjectRequest(names.composeProject()));
    Promise<FlyAppsFound> apps = Async.function(fly::findApps, new FindFlyAppsRequest(flyApps(), names.flyOrg()));
    ProjectResources resources = project.get();
    FlyAppsFound found = apps.get();
    boolean orgExists = Boolean.TRUE.equals(found.organizationExists());
    return new TeardownPlan(names.siloId(), applicationName, names.composeProject(), dockerTaskQueue,
        resources.containers(), resources.volumes(), resources.networks(), names.flyOrg(), orgExists,
        found.existing(), names.branch(), request.deleteBranch(), request.netlify(), names.checkScheduleId(),
        choices(resources, found, orgExists));
  }

  private List<String> choices(ProjectResources resources, FlyAppsFound found, boolean orgExists) {
    List<String> choices = new ArrayList<>();
    choices.add("Drift check: the schedule " + names.checkScheduleId() + " is deleted if it exists.");
    choices.add(docker == null ? "Containers: skipped (no container engine serves this teardown); nothing is removed"
        + " on any engine."
        : "Containers: the Compose project " + names.composeProject() + " is removed on " + dockerTaskQueue + " ("
            + resources.containers().size() + " containers, " + resources.networks().size() + " networks) with its "
            + resources.volumes().size() + " volumes; their data is lost.");
    choices.add("Fly: " + (found.existing().isEmpty() ? "no app of the silo exists"
        : "the apps " + String.join(", ", found.existing()) + " are destroyed with their machines and data")
        + "; the organization " + names.flyOrg() + (orgExists ? " is deleted once it holds no app, and kept if any"
        + " other app remains in it" : " does not exist") + ".");
    choices.add(request.deleteBranch() ? "Git: the branch " + names.branch() + " is DELETED on the remote"
        + " (--delete-branch)." : "Git: the branch " + names.branch() + " is KEPT (pass --delete-branch to delete it).");
    choices.add(request.netlify() ? "Netlify: the branch deploy of " + names.branch() + " and its "
        + NetlifyStep.VARIABLE_NAMES.size() + " branch variables are removed (--netlify); the site's other branches"
        + " and the variables' other values stay."
        : "Netlify: left untouched. The branch deploy of " + names.branch() + " and its "
        + NetlifyStep.VARIABLE_NAMES.size() + " branch-context variables stay as they are (pass --netlify to remove"
        + " them).");
    choices.add("Desk: status " + DECOMMISSIONED + ", event " + DECOMMISSIONED + ", the application's silo_status "
        + DECOMMISSIONED + ".");
    return choices;
  }

  /** Deletes the drift-check schedule first, so no check runs against a silo half gone. */
  void removeSchedule() {
    progress.update(StepName.VALIDATE, "deleting the drift-check schedule");
    ScheduleDeleted schedule = temporal.deleteSiloSchedule(new DeleteScheduleRequest(names.checkScheduleId()));
    if (schedule.existed()) {
      removed.add("schedule " + schedule.scheduleId());
    }
  }

  /** The removals, then the desk, in the plan's order. */
  void run() {
    progress.begin(StepName.DOCKER, "removing the containers and their volumes");
    if (docker == null) {
      progress.finish(StepName.DOCKER, StepState.SKIPPED, "no container engine serves this teardown");
    } else {
      TeardownResult down = docker.teardown(new TeardownRequest(names.composeProject(), true));
      down.removedContainers().forEach(name -> removed.add("container " + name));
      down.removedVolumes().forEach(name -> removed.add("volume " + name));
      down.removedNetworks().forEach(name -> removed.add("network " + name));
      progress.finish(StepName.DOCKER, StepState.SUCCEEDED, down.removedContainers().size() + " containers, "
          + down.removedVolumes().size() + " volumes removed");
    }
    progress.begin(StepName.FLY, "destroying the Fly apps");
    List<Promise<FlyAppDestroyed>> destroys = new ArrayList<>();
    for (String app : flyApps()) {
      destroys.add(Async.function(fly::destroyApp, new DestroyFlyAppRequest(names.flyOrg(), app)));
    }
    Promise.allOf(destroys).get();
    destroys.stream().map(Promise::get).filter(app -> !app.alreadyGone())
        .forEach(app -> removed.add("Fly app " + app.appName()));
    FlyOrganizationDeleted org = fly.deleteOrganizationIfEmpty(new DeleteOrganizationRequest(names.flyOrg()));
    if (org.deleted()) {
      removed.add("Fly organization " + org.slug());
    } else if (!org.alreadyGone()) {
      kept.add("Fly organization " + org.slug() + ": it still holds " + String.join(", ", org.remainingApps()));
    }
    progress.finish(StepName.FLY, StepState.SUCCEEDED, "apps destroyed; organization "
        + (org.deleted() ? "deleted" : org.alreadyGone() ? "already gone" : "kept"));
    progress.begin(StepName.GIT, request.deleteBranch() ? "deleting the branch" : "keeping the branch");
    if (request.deleteBranch()) {
      BranchResult branch = git.deleteBranch(new BranchRequest(names.branch(), GitStep.BASE_BRANCH));
      if (branch.outcome() == BranchOutcome.DELETED) {
        removed.add("branch " + names.branch());
      }
      progress.finish(StepName.GIT, StepState.SUCCEEDED, "branch " + (branch.outcome() == BranchOutcome.DELETED
          ? "deleted" : "already absent"));
    } else {
      progress.finish(StepName.GIT, StepState.SKIPPED, "branch " + names.branch() + " kept");
    }
    removeNetlifyBranch();
    progress.begin(StepName.DESK, "recording the silo as decommissioned");
    recordDecommissioned();
    progress.finish(StepName.DESK, StepState.SUCCEEDED, "status, event and application: " + DECOMMISSIONED);
  }

  /**
   * With {@code --netlify}, takes the branch out of the site's branch deploys and deletes its branch
   * values of the silo's variables; otherwise leaves Netlify as it is.
   */
  private void removeNetlifyBranch() {
    if (!request.netlify()) {
      progress.begin(StepName.NETLIFY, "leaving Netlify untouched");
      progress.finish(StepName.NETLIFY, StepState.SKIPPED, "untouched (no --netlify)");
      return;
    }
    progress.begin(StepName.NETLIFY, "removing the branch deploy and its variables");
    NetlifyBranchRemoved gone = netlify.removeBranchDeploy(
        new RemoveBranchDeployRequest(names.branch(), NetlifyStep.VARIABLE_NAMES));
    if (gone.disallowed()) {
      removed.add("Netlify branch deploy " + gone.branch());
    }
    gone.removedVariables().forEach(key -> removed.add("Netlify variable " + key + " of " + gone.branch()));
    progress.finish(StepName.NETLIFY, StepState.SUCCEEDED, gone.alreadyGone() ? "branch deploy already absent"
        : "branch deploy removed, " + gone.removedVariables().size() + " variables deleted");
  }

  /**
   * The three desk writes at once, keyed by this run: a retry or a resumed run sends the same keys,
   * and a later teardown of the silo, deployed again since, writes its own.
   */
  private void recordDecommissioned() {
    String at = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    String workflowId = Workflow.getInfo().getWorkflowId();
    String key = workflowId + ":" + Workflow.getInfo().getRunId() + ":desk:";
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("decommissioned_at", at);
    details.put("workflow_id", workflowId);
    details.put("silo_branch", request.deleteBranch() ? "deleted" : "kept");
    details.put("netlify", request.netlify() ? "removed" : "untouched");
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("silo_status", DECOMMISSIONED);
    section.put("silo_decommissioned_at", at);
    Promise.allOf(
        Async.function(desk::updateSiloStatus, new UpdateSiloStatusRequest(names.client(), names.app(),
            DECOMMISSIONED, details, key + "status-" + DECOMMISSIONED)),
        Async.function(desk::logSiloEvent, new LogSiloEventRequest(names.client(), names.app(), DECOMMISSIONED,
            DeskStep.ACTOR, details, key + "event-" + DECOMMISSIONED)),
        Async.function(desk::updateApplication, new UpdateApplicationRequest(names.client(), names.app(), section,
            key + "application-silo"))).get();
    removed.add("desk: status " + DECOMMISSIONED);
  }

  private List<String> flyApps() {
    return SiloNames.FLY_SERVICES.stream().map(names::flyApp).toList();
  }

  /** What this run removed, in order. */
  List<String> removed() {
    return List.copyOf(removed);
  }

  /** What stays, with why. */
  List<String> kept(SiloStatus status) {
    List<String> all = new ArrayList<>(kept);
    if (status == SiloStatus.DESTROYED || status == SiloStatus.ERROR) {
      if (!request.netlify()) {
        all.add("Netlify: untouched (no --netlify); the branch deploy and its variables stay");
      }
      if (!request.deleteBranch()) {
        all.add("branch " + names.branch() + ": kept (no --delete-branch)");
      }
    }
    return all;
  }

  private static ApplicationFailure refused(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
