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
import dev.silo.workflows.config.SiloConfig;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 5: the ONE-TIME Netlify branch-deploy configuration, then a ready deploy of the branch. A
 * branch that an earlier run configured is never reconfigured; its build, though, is not one-time:
 * a silo is live only once a ready deploy of its branch exists, so every run makes sure of one,
 * submitting a build only when no deploy of the branch is ready or on its way, then waiting for it.
 *
 * <p>The step keeps what it got from Netlify as it goes and hands it over as its record, completed
 * or not, so a report of a run that failed half-way through still says what was configured and
 * which build was started.
 */
final class NetlifyStep implements SiloStep<NetlifyStep.NetlifyResult> {

  /**
   * Runs recorded before this change skipped the build when the branch was already configured;
   * they replay on that path.
   */
  static final String BUILD_UNTIL_READY = "netlify-build-until-ready";

  /** Marks the runs that record whether the branch was configured before they configure it. */
  static final String CONFIGURED_BEFORE_RECORDED = "netlify-configured-before-recorded";

  /**
   * What Netlify answered, as far as the step got: a report of a run that failed half-way through
   * still says what was configured and which build was started.
   *
   * @param config the configuration Netlify confirmed, or null when it did not answer
   * @param build the deploy found or the build triggered, or null when the step never got that far
   * @param deploy the ready deploy, or null when there is none
   * @param failure why the step failed, or null
   * @param outcome the branch's outcome once the step completed, else null
   */
  record NetlifyResult(NetlifyBranchConfig config, BranchBuild build, NetlifyDeploy deploy, String failure,
      SiloReport.NetlifyReport outcome) {}

  static final StepKey<NetlifyResult> NETLIFY = StepKey.of(StepName.NETLIFY, NetlifyResult.class);

  private final NetlifyActivities netlify =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_API);
  private final NetlifyActivities netlifyBuild =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_BUILD);

  private final String workflowId;
  private final SiloNames names;
  private NetlifyBranchConfig config;
  private BranchBuild build;
  private NetlifyDeploy deploy;
  private String failure;

  NetlifyStep(String workflowId, SiloNames names) {
    this.workflowId = workflowId;
    this.names = names;
  }

  @Override
  public StepKey<NetlifyResult> produces() {
    return NETLIFY;
  }

  /** The anon key Fly minted and the branch Git pushed, with the config's variables. */
  @Override
  public List<StepKey<?>> needs() {
    return List.of(ValidateStep.VALIDATED, FlyStep.FLY, GitStep.BRANCH);
  }

  @Override
  public String starting(StepResults results) {
    return "configuring branch deploys for " + names.branch();
  }

  @Override
  public NetlifyResult run(StepResults results, StepContext context) {
    Map<String, String> variables = variables(names, results.get(ValidateStep.VALIDATED).config(),
        results.get(FlyStep.FLY).keys().anonKey());
    SiloReport.NetlifyReport outcome = Failures.orStepFailure(() -> configureAndBuild(variables, context),
        message -> {
          failure = message;
          return new StepFailure(StepName.NETLIFY, "Netlify branch deploy failed: " + message);
        });
    return new NetlifyResult(config, build, deploy, null, outcome);
  }

  @Override
  public String finished(NetlifyResult result) {
    SiloReport.NetlifyReport outcome = result.outcome();
    return (outcome.alreadyConfigured() ? "configured by an earlier run, left untouched; " : "configured; ")
        + (outcome.deployId() == null ? "no build" : "deploy " + outcome.deployId() + " ready") + ": "
        + outcome.previewUrl();
  }

  @Override
  public NetlifyResult partial() {
    return new NetlifyResult(config, build, deploy, failure, null);
  }

  /** The names of the four branch-context variables of the runbook, as {@link #variables} sets them. */
  static final List<String> VARIABLE_NAMES =
      List.of("VITE_SUPABASE_URL", "VITE_SUPABASE_ANON_KEY", "VITE_APP_ENV", "VITE_API_URL");

  /**
   * The four branch-context variables of the runbook. Only VITE_APP_ENV comes from {@code
   * netlify.env.silo}; the URLs are the stable Fly URLs and the key is the one step 3 mints.
   */
  static Map<String, String> variables(SiloNames names, SiloConfig loaded, String anonKey) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("VITE_SUPABASE_URL", names.flyUrl("kong"));
    variables.put("VITE_SUPABASE_ANON_KEY", anonKey);
    String appEnv = loaded.netlifyEnv().get("VITE_APP_ENV");
    variables.put("VITE_APP_ENV", appEnv == null || appEnv.isBlank() ? "development" : appEnv);
    variables.put("VITE_API_URL", names.flyUrl("rest"));
    return variables;
  }

  private SiloReport.NetlifyReport configureAndBuild(Map<String, String> variables, StepContext context) {
    String branch = names.branch();
    int version = Workflow.getVersion(BUILD_UNTIL_READY, Workflow.DEFAULT_VERSION, 1);
    Boolean configuredBefore = configuredBefore(branch, variables);
    config = netlify.configureBranchDeploy(new ConfigureBranchDeployRequest(branch, variables));
    if (Boolean.FALSE.equals(configuredBefore) && config.alreadyConfigured()) {
      // The look-up before found the branch unconfigured: an attempt of this run configured it and
      // its reply was lost, so the retry found the work done.
      config = new NetlifyBranchConfig(config.siteId(), config.branch(), false, config.previewUrl());
    }
    if (version == Workflow.DEFAULT_VERSION) {
      return configuredOnceThenBuiltOnce(branch, context);
    }
    context.update("making sure a deploy of " + branch + " is ready");
    build = netlify.buildBranch(new BuildBranchRequest(branch,
        workflowId + ":" + Workflow.getInfo().getRunId() + ":netlify:build"));
    if (build.ready()) {
      deploy = new NetlifyDeploy(build.deployId(), build.state(), build.previewUrl());
    } else {
      context.update("waiting for build " + build.buildId() + " (deploy " + build.deployId()
          + ", " + build.state() + ")");
      deploy = netlifyBuild.awaitDeploy(new AwaitDeployRequest(build.deployId()));
    }
    return new SiloReport.NetlifyReport(branch, deploy.previewUrl(), config.alreadyConfigured(), deploy.deployId());
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
  private SiloReport.NetlifyReport configuredOnceThenBuiltOnce(String branch, StepContext context) {
    if (config.alreadyConfigured()) {
      return new SiloReport.NetlifyReport(branch, config.previewUrl(), true, null);
    }
    NetlifyBuild triggered = netlify.triggerBuild(new TriggerBuildRequest(branch, workflowId + ":netlify:first-build"));
    build = new BranchBuild(triggered.buildId(), triggered.deployId(), "new", true, config.previewUrl());
    context.update("waiting for build " + triggered.buildId() + " (deploy " + triggered.deployId() + ")");
    deploy = netlifyBuild.awaitDeploy(new AwaitDeployRequest(triggered.deployId()));
    return new SiloReport.NetlifyReport(branch, deploy.previewUrl(), false, deploy.deployId());
  }
}
