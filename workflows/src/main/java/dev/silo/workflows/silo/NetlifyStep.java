package dev.silo.workflows.silo;

import dev.silo.workflows.netlify.AwaitDeployRequest;
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
 * Step 5: the ONE-TIME Netlify branch-deploy configuration and its first build. A branch that an
 * earlier run configured is never reconfigured, and no second first build is triggered.
 */
final class NetlifyStep {

  private final NetlifyActivities netlify =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_API);
  private final NetlifyActivities netlifyBuild =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_BUILD);

  SiloReport.NetlifyReport run(String workflowId, String branch, Map<String, String> variables,
      DeploymentProgress progress) {
    try {
      NetlifyBranchConfig config = netlify.configureBranchDeploy(new ConfigureBranchDeployRequest(branch, variables));
      if (config.alreadyConfigured()) {
        return new SiloReport.NetlifyReport(branch, config.previewUrl(), true, null);
      }
      NetlifyBuild build = netlify.triggerBuild(new TriggerBuildRequest(branch, workflowId + ":netlify:first-build"));
      progress.update(StepName.NETLIFY, "waiting for build " + build.buildId() + " (deploy " + build.deployId() + ")");
      NetlifyDeploy deploy = netlifyBuild.awaitDeploy(new AwaitDeployRequest(build.deployId()));
      return new SiloReport.NetlifyReport(branch, deploy.previewUrl(), false, deploy.deployId());
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      throw new StepFailure(StepName.NETLIFY, "Netlify branch deploy failed: " + Failures.message(failure));
    }
  }
}
