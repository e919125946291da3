package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyBuild;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
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

  /** Marks the runs that record whether the branch was configured before they configure it. */
  static final String CONFIGURED_BEFORE_RECORDED = "netlify-configured-before-recorded";

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
      Boolean configuredBefore = configuredBefore(branch, variables);
      config = netlify.configureBranchDeploy(new ConfigureBranchDeployRequest(branch, variables));
      if (Boolean.FALSE.equals(configuredBefore) && config.alreadyConfigured()) {
        // The look-up before found the branch unconfigured: an attempt of this run configured it and
        // its reply was lost, so the retry found the work done.
        config = new NetlifyBranchConfig(config.siteId(), config.branch(), false, config.previewUrl());
      }
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

  /**
   * Whether the branch was configured before this run wrote anything, read once and kept in the
   * history, so that what a retried configuration finds cannot make this run's own work look like an
   * earlier run's. Null for runs that started before the look-up.
   */
  private Boolean configuredBefore(String branch, Map<String, String> variables) {
    if (Workflow.getVersion(CONFIGURED_BEFORE_RECORDED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return null;
    }
    return netlify.describeSite(new DescribeSiteRequest(branch, List.copyOf(variables.keySet()))).branchConfigured();
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
