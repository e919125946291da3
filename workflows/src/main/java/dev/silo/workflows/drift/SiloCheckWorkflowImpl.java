package dev.silo.workflows.drift;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.Failures;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.InspectProjectRequest;
import dev.silo.workflows.docker.ProjectContainers;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyAppState;
import dev.silo.workflows.fly.InspectFlyAppRequest;
import dev.silo.workflows.git.BranchPosition;
import dev.silo.workflows.git.BranchPositionRequest;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.netlify.InspectBranchRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchState;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drift check: reads the last deployment's report, reads every system side by side, compares
 * ({@link DriftRules}), then, when something drifted, logs {@code drift_detected} on the desk and
 * notifies. Nothing it calls writes to the silo's systems. A system that cannot be read is listed
 * as unreadable rather than failing the check, so the other systems are still compared.
 */
public final class SiloCheckWorkflowImpl implements SiloCheckWorkflow {

  static final String DRIFT_EVENT = "drift_detected";

  /** Marks the checks that compare each machine's config hash with the one the silo's config gives. */
  static final String CONFIG_HASH_CHANGE = "check-fly-config-hash";
  private static final String ACTOR = "silo-manager";

  private final SiloCheckActivities records =
      Workflow.newActivityStub(SiloCheckActivities.class, CheckActivityOptions.READ);
  private final FlyActivities fly = Workflow.newActivityStub(FlyActivities.class, CheckActivityOptions.READ);
  private final ConfigActivities config = Workflow.newActivityStub(ConfigActivities.class, CheckActivityOptions.READ);
  private final NetlifyActivities netlify =
      Workflow.newActivityStub(NetlifyActivities.class, CheckActivityOptions.READ);
  private final GitActivities git = Workflow.newActivityStub(GitActivities.class, CheckActivityOptions.READ);
  private final DeskActivities deskRead = Workflow.newActivityStub(DeskActivities.class, CheckActivityOptions.READ);
  private final DeskActivities deskWrite = Workflow.newActivityStub(DeskActivities.class, CheckActivityOptions.WRITE);
  private final NotifyActivities notify = Workflow.newActivityStub(NotifyActivities.class, CheckActivityOptions.WRITE);

  @Override
  public DriftReport check(SiloCheckRequest request) {
    List<String> problems = SiloNames.problems(request.client(), request.app());
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(String.join("; ", problems), FailureType.INVALID_REQUEST.type());
    }
    SiloNames names = new SiloNames(request.client(), request.app());
    String checkId = Workflow.getInfo().getWorkflowId();
    LastDeployment last = records.lastDeployment(new LastDeploymentRequest(names.workflowId()));
    if (last.deploymentRunning() || last.report() == null) {
      CheckOutcome outcome = last.deploymentRunning() ? CheckOutcome.DEPLOYMENT_RUNNING : CheckOutcome.NEVER_DEPLOYED;
      return new DriftReport(names.siloId(), checkId, names.workflowId(), last.runId(), outcome, List.of(),
          List.of(), List.of(), false, false);
    }
    SiloReport report = last.report();
    Readings readings = new Readings(names, report);
    List<String> unreadable = new ArrayList<>();
    List<String> notCompared = new ArrayList<>();
    List<DriftItem> drift = new ArrayList<>();

    DeskApplication application = read("desk", readings.desk, unreadable);
    String deskStatus = application == null ? null : DriftRules.deskStatus(application);
    if (readings.netlify == null) {
      notCompared.add("netlify: the deployment did not configure the branch");
    } else {
      NetlifyBranchState branch = read("netlify", readings.netlify, unreadable);
      if (branch != null) {
        drift.addAll(DriftRules.netlify(names, report, branch));
      }
    }
    DriftRules.expectedVariables(names, report).forEach((variable, value) -> {
      if (value == null && readings.netlify != null) {
        notCompared.add("netlify " + variable + ": its value is not in the deployment's report; only its presence was checked");
      }
    });
    List<FlyAppState> apps = new ArrayList<>();
    for (Promise<FlyAppState> app : readings.fly) {
      FlyAppState state = read("fly", app, unreadable);
      if (state != null) {
        apps.add(state);
      }
    }
    Map<String, String> expectedHashes = Map.of();
    if (readings.hashes == null) {
      notCompared.add("fly config hash: the deployment's report does not record it; each machine was checked to carry"
          + " one (a machine replaced by hand carries none) and an app's machines to agree on it");
    } else {
      ExpectedConfigHashes.Expected expected = readings.hashes.hashes(fly, names, DriftRules.deployedApps(report));
      expectedHashes = expected.hashes();
      notCompared.addAll(expected.notCompared());
    }
    drift.addAll(DriftRules.fly(report, apps, deskStatus, expectedHashes));
    if (readings.git == null) {
      notCompared.add("git: the deployment did not push the branch");
    } else {
      BranchPosition position = read("git", readings.git, unreadable);
      if (position != null) {
        drift.addAll(DriftRules.git(report, position));
      }
    }
    if (readings.docker == null) {
      notCompared.add("docker: the deployment ran no containers");
    } else {
      ProjectContainers containers = read("docker", readings.docker, unreadable);
      if (containers != null) {
        drift.addAll(DriftRules.docker(report, containers, deskStatus));
      }
      notCompared.add("docker health: the engine's own status is used; the Compose healthcheck is not run again");
    }
    if (application != null) {
      drift.addAll(DriftRules.desk(deskStatus));
    }

    boolean logged = false;
    boolean notified = false;
    if (!drift.isEmpty()) {
      logged = logDrift(names, checkId, last.runId(), drift);
      notified = notifyDrift(names, checkId, drift);
    }
    CheckOutcome outcome = !drift.isEmpty() ? CheckOutcome.DRIFTED
        : unreadable.isEmpty() ? CheckOutcome.IN_SYNC : CheckOutcome.INCOMPLETE;
    return new DriftReport(names.siloId(), checkId, names.workflowId(), last.runId(), outcome, drift, unreadable,
        notCompared, logged, notified);
  }

  /** Every read, started at once: they touch different systems and none depends on another. */
  private final class Readings {
    final Promise<DeskApplication> desk;
    final Promise<NetlifyBranchState> netlify;
    final List<Promise<FlyAppState>> fly = new ArrayList<>();
    final Promise<BranchPosition> git;
    final Promise<ProjectContainers> docker;
    final ExpectedConfigHashes hashes;

    Readings(SiloNames names, SiloReport report) {
      desk = Async.function(deskRead::getApplication, new GetApplicationRequest(names.client(), names.app()));
      netlify = report.netlify() == null ? null : Async.function(SiloCheckWorkflowImpl.this.netlify::inspectBranch,
          new InspectBranchRequest(report.netlify().branch(),
              List.copyOf(DriftRules.expectedVariables(names, report).keySet())));
      boolean compareHashes = !DriftRules.deployedApps(report).isEmpty()
          && Workflow.getVersion(CONFIG_HASH_CHANGE, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
      hashes = compareHashes ? new ExpectedConfigHashes(config, names) : null;
      for (String app : DriftRules.deployedApps(report)) {
        fly.add(Async.function(SiloCheckWorkflowImpl.this.fly::inspectApp, new InspectFlyAppRequest(app)));
      }
      git = report.branch() == null || report.branch().commit() == null ? null
          : Async.function(SiloCheckWorkflowImpl.this.git::branchPosition,
              new BranchPositionRequest(report.branch().name(), report.branch().commit()));
      if (report.dockerTaskQueue() == null) {
        docker = null;
      } else {
        DockerActivities engine = Workflow.newActivityStub(DockerActivities.class,
            CheckActivityOptions.dockerRead(report.dockerTaskQueue()));
        docker = Async.function(engine::inspectProject, new InspectProjectRequest(names.composeProject()));
      }
    }
  }

  private static <T> T read(String system, Promise<T> reading, List<String> unreadable) {
    try {
      return reading.get();
    } catch (ActivityFailure failure) {
      unreadable.add(system + ": " + Failures.message(failure));
      return null;
    }
  }

  /** Idempotent per check run: the key is the check's workflow ID. */
  private boolean logDrift(SiloNames names, String checkId, String deploymentRunId, List<DriftItem> drift) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("check_workflow_id", checkId);
    details.put("deployment_run_id", deploymentRunId);
    details.put("items", drift.stream().map(DriftItem::line).toList());
    try {
      deskWrite.logSiloEvent(new LogSiloEventRequest(names.client(), names.app(), DRIFT_EVENT, ACTOR, details,
          checkId + ":" + DRIFT_EVENT));
      return true;
    } catch (ActivityFailure failure) {
      Workflow.getLogger(SiloCheckWorkflowImpl.class).warn("drift not logged on the desk: {}", Failures.message(failure));
      return false;
    }
  }

  /** Sent only when the worker sets the webhook variable; a delivery that fails does not fail the check. */
  private boolean notifyDrift(SiloNames names, String checkId, List<DriftItem> drift) {
    if (!records.webhookConfigured(CheckNames.WEBHOOK_VARIABLE)) {
      return false;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Silo", names.siloId());
    fields.put("Check", checkId);
    fields.put("Drift", String.join("\n", drift.stream().map(DriftItem::line).toList()));
    try {
      notify.notify(new NotifyRequest(CheckNames.WEBHOOK_VARIABLE, null,
          "Silo " + names.siloId() + " drifted from its last deployment: " + drift.size() + " item"
              + (drift.size() == 1 ? "" : "s") + ". See `silo check " + names.client() + " " + names.app() + "`.",
          fields, checkId + ":drift-notification"));
      return true;
    } catch (ActivityFailure failure) {
      Workflow.getLogger(SiloCheckWorkflowImpl.class).warn("drift not notified: {}", Failures.message(failure));
      return false;
    }
  }
}
