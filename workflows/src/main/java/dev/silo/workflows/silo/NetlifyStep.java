package dev.silo.workflows.silo;

import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyBuild;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * Step 5: the ONE-TIME Netlify branch-deploy configuration, then a ready deploy of the branch. A
 * branch that an earlier run configured is never reconfigured; its build, though, is not one-time:
 * a silo is live only once a ready deploy of its branch exists, so every run makes sure of one,
 * submitting a build only when no deploy of the branch is ready or on its way, then waiting for it.
 *
 * <p>The step keeps what it got from Netlify as it goes, so a report of a run that failed half-way
 * through still says what was configured and which build was started.
 */
final class NetlifyStep {

  /**
   * Runs recorded before this change skipped the build when the branch was already configured;
   * they replay on that path.
   */
  static final String BUILD_UNTIL_READY = "netlify-build-until-ready";

  private final NetlifyActivities netlify =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_API);
  private final NetlifyActivities netlifyBuild =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_BUILD);

  private NetlifyBranchConfig config;
  private BranchBuild build;
  private NetlifyDeploy deploy;
  private String failure;

  SiloReport.NetlifyReport run(String workflowId, String branch, Map<String, String> variables,
      DeploymentProgress progress) {
    int version = Workflow.getVersion(BUILD_UNTIL_READY, Workflow.DEFAULT_VERSION, 1);
    try {
      config = netlify.configureBranchDeploy(new ConfigureBranchDeployRequest(branch, variables));
      if (version == Workflow.DEFAULT_VERSION) {
        return configuredOnceThenBuiltOnce(workflowId, branch, progress);
      }
      progress.update(StepName.NETLIFY, "making sure a deploy of " + branch + " is ready");
      build = netlify.buildBranch(new BuildBranchRequest(branch,
          workflowId + ":" + Workflow.getInfo().getRunId() + ":netlify:build"));
      if (build.ready()) {
        deploy = new NetlifyDeploy(build.deployId(), build.state(), build.previewUrl());
      } else {
        progress.update(StepName.NETLIFY, "waiting for build " + build.buildId() + " (deploy " + build.deployId()
            + ", " + build.state() + ")");
        deploy = netlifyBuild.awaitDeploy(new AwaitDeployRequest(build.deployId()));
      }
      return new SiloReport.NetlifyReport(branch, deploy.previewUrl(), config.alreadyConfigured(), deploy.deployId());
    } catch (ActivityFailure activityFailure) {
      if (Failures.isCancellation(activityFailure)) {
        throw activityFailure;
      }
      failure = Failures.message(activityFailure);
      throw new StepFailure(StepName.NETLIFY, "Netlify branch deploy failed: " + failure);
    }
  }

  /** The path of runs recorded before {@link #BUILD_UNTIL_READY}: no build once configured. */
  private SiloReport.NetlifyReport configuredOnceThenBuiltOnce(String workflowId, String branch,
      DeploymentProgress progress) {
    if (config.alreadyConfigured()) {
      return new SiloReport.NetlifyReport(branch, config.previewUrl(), true, null);
    }
    NetlifyBuild triggered = netlify.triggerBuild(new TriggerBuildRequest(branch, workflowId + ":netlify:first-build"));
    build = new BranchBuild(triggered.buildId(), triggered.deployId(), "new", true, config.previewUrl());
    progress.update(StepName.NETLIFY, "waiting for build " + triggered.buildId() + " (deploy " + triggered.deployId()
        + ")");
    deploy = netlifyBuild.awaitDeploy(new AwaitDeployRequest(triggered.deployId()));
    return new SiloReport.NetlifyReport(branch, deploy.previewUrl(), false, deploy.deployId());
  }

  /** The configuration Netlify confirmed, or null when it did not answer. */
  NetlifyBranchConfig config() {
    return config;
  }

  /** The deploy found or the build triggered, or null when the step never got that far. */
  BranchBuild build() {
    return build;
  }

  /** The ready deploy, or null when there is none (yet). */
  NetlifyDeploy deploy() {
    return deploy;
  }

  /** Why the step failed, or null. */
  String failure() {
    return failure;
  }
}
