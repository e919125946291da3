package dev.silo.workflows.silo;

import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.git.BranchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Step 7: the runbook's final report. It gathers what each step produced as the run goes, so a run
 * that stops early reports exactly what it did and undid.
 */
final class ReportStep {

  private final SiloNames names;
  private final String workflowId;
  private final String requester;
  private String dockerTaskQueue;
  private List<ContainerResult> containers = List.of();
  private FlyStep.FlyOutcome fly;
  private FlyStep flyStep;
  private BranchResult branch;
  private SiloReport.NetlifyReport netlify;
  private boolean deskUpdated;

  ReportStep(SiloNames names, String workflowId, String requester) {
    this.names = names;
    this.workflowId = workflowId;
    this.requester = requester;
  }

  /** What step 2 did, and on which queue; the queue is null when no engine ran the containers. */
  void containers(String taskQueue, List<ContainerResult> results) {
    dockerTaskQueue = taskQueue;
    containers = List.copyOf(results);
  }

  void fly(FlyStep step, FlyStep.FlyOutcome outcome) {
    flyStep = step;
    fly = outcome;
  }

  void flyStep(FlyStep step) {
    flyStep = step;
  }

  void branch(BranchResult result) {
    branch = result;
  }

  void netlify(SiloReport.NetlifyReport report) {
    netlify = report;
  }

  void deskUpdated(boolean updated) {
    deskUpdated = updated;
  }

  SiloReport.ConnectionInfo connection() {
    if (fly == null) {
      return null;
    }
    return new SiloReport.ConnectionInfo(fly.database().displayUrl(), names.flyUrl("kong"), names.flyUrl("rest"),
        fly.keys().anonKey());
  }

  SiloReport build(SiloStatus status, String failure, DeploymentProgress progress) {
    return new SiloReport(
        names.siloId(),
        workflowId,
        status,
        failure,
        requester,
        dockerTaskQueue,
        containers,
        flyStep == null ? null : names.flyOrg(),
        flyApps(),
        fly == null ? List.of() : fly.migrations().applied(),
        connection(),
        branch == null ? null : new SiloReport.BranchReport(branch.branch(), branch.commit(), branch.outcome().name()),
        netlify,
        deskUpdated,
        progress.decisions(),
        progress.steps(),
        progress.degradedItems(),
        status == SiloStatus.DEPLOYED ? nextSteps() : List.of());
  }

  private List<SiloReport.FlyAppReport> flyApps() {
    if (flyStep == null) {
      return List.of();
    }
    Map<String, String> states = flyStep.appStates();
    List<SiloReport.FlyAppReport> apps = new ArrayList<>();
    for (String service : SiloNames.FLY_SERVICES) {
      String app = names.flyApp(service);
      String state = states.getOrDefault(app, "not deployed");
      apps.add(new SiloReport.FlyAppReport(app, names.flyUrl(service), state,
          !flyStep.existedBefore().contains(app) && states.containsKey(app)));
    }
    return apps;
  }

  private List<String> nextSteps() {
    String silo = names.siloId();
    return List.of(
        "Create Slack channels: #silo-" + silo + ", #silo-" + silo + "-alerts",
        "Share the preview URL with the client" + (netlify == null ? "" : ": " + netlify.previewUrl()),
        "Notify dev-workers: branch " + names.branch() + " is ready for pushes",
        "dev-workers push code -> Netlify deploys the branch automatically (no manual configuration, ever)");
  }
}
