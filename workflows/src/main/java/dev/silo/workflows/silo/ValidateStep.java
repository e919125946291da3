package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifySite;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 1: load and validate the config directory, re-read the application from the desk, build the
 * plan and publish it. The approval itself is asked by the workflow, which owns the decisions.
 */
final class ValidateStep {

  /** The base branch every silo branch is made from. */
  static final String BASE_BRANCH = "main";

  /** Shown in the plan until step 3 mints the key. */
  static final String ANON_KEY_PLACEHOLDER = "(minted in step 3)";

  /**
   * Marks the runs in which the config may name the Docker task queue. A run that started before
   * sent its containers to the request's queue or {@code silo-docker} and keeps doing so on replay.
   */
  static final String DOCKER_QUEUE_FROM_CONFIG = "docker-task-queue-from-config";

  /**
   * Marks the runs that check every derived name at VALIDATE, the Netlify branch host with the site
   * name read from Netlify included. A run that started before found a Netlify host too long only at
   * step 5, and keeps doing so on replay.
   */
  static final String DERIVED_NAMES_CHECKED = "validate-derived-names";

  private final ConfigActivities config =
      Workflow.newActivityStub(ConfigActivities.class, SiloActivityOptions.CONFIG);
  private final DeskActivities desk = Workflow.newActivityStub(DeskActivities.class, SiloActivityOptions.DESK);
  private final NetlifyActivities netlify =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_API);

  /** The loaded config and the plan built from it. */
  record Validated(SiloConfig config, SiloPlan plan) {}

  Validated run(SiloDeploymentRequest request) {
    SiloNames names = request.names();
    SiloConfig loaded;
    try {
      loaded = config.loadSiloConfig(new LoadSiloConfigRequest(request.configRoot(), request.client(), request.app()));
    } catch (ActivityFailure failure) {
      throw new StepFailure(StepName.VALIDATE, "the silo config is not valid: " + Failures.message(failure));
    }
    String dockerTaskQueue = dockerTaskQueue(request, loaded);
    DeskApplication application;
    try {
      application = desk.getApplication(new GetApplicationRequest(request.client(), request.app()));
    } catch (ActivityFailure failure) {
      throw new StepFailure(StepName.VALIDATE, "the desk's application record could not be read: "
          + Failures.message(failure));
    }
    checkDerivedNames(names, loaded);
    return new Validated(loaded, plan(names, loaded, dockerTaskQueue, application));
  }

  /**
   * Refuses the run, before the plan is shown and anything is created, when a name derived from the
   * silo would be refused where it lands. Every such name is listed with its limit.
   */
  private void checkDerivedNames(SiloNames names, SiloConfig loaded) {
    if (Workflow.getVersion(DERIVED_NAMES_CHECKED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    NetlifySite site;
    try {
      site = netlify.describeSite(new DescribeSiteRequest());
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      throw new StepFailure(StepName.VALIDATE, "the Netlify site could not be read: " + Failures.message(failure));
    }
    List<String> problems = names.derivedNameProblems(
        loaded.flyApps().stream().map(FlyAppSpec::service).toList(),
        loaded.services().stream().map(ComposeService::name).toList(),
        site.name());
    if (!problems.isEmpty()) {
      throw new StepFailure(StepName.VALIDATE, "names derived from silo " + names.siloId()
          + " would be refused: " + String.join("; ", problems));
    }
  }

  private static String dockerTaskQueue(SiloDeploymentRequest request, SiloConfig loaded) {
    int version = Workflow.getVersion(DOCKER_QUEUE_FROM_CONFIG, Workflow.DEFAULT_VERSION, 1);
    String configured = version == Workflow.DEFAULT_VERSION ? null : loaded.dockerTaskQueue();
    return DockerTaskQueue.resolve(request.dockerTaskQueue(), configured);
  }

  private static SiloPlan plan(SiloNames names, SiloConfig loaded, String dockerTaskQueue,
      DeskApplication application) {
    List<SiloPlan.PlannedContainer> containers = loaded.services().stream()
        .map(ValidateStep::plannedContainer)
        .toList();
    List<SiloPlan.PlannedFlyApp> flyApps = loaded.flyApps().stream()
        .map(FlyAppSpec::service)
        .map(service -> new SiloPlan.PlannedFlyApp(service, names.flyApp(service), names.flyUrl(service)))
        .toList();
    List<String> migrations = loaded.migrations().stream().map(MigrationFile::fileName).toList();
    return new SiloPlan(
        names.siloId(),
        application.name(),
        names.composeProject(),
        dockerTaskQueue,
        containers,
        names.flyOrg(),
        flyApps,
        migrations,
        names.branch(),
        BASE_BRANCH,
        netlifyVariables(names, loaded, ANON_KEY_PLACEHOLDER));
  }

  private static SiloPlan.PlannedContainer plannedContainer(ComposeService service) {
    return new SiloPlan.PlannedContainer(service.name(), service.image(), List.copyOf(service.dependsOn().keySet()));
  }

  /**
   * The four branch-context variables of the runbook. Only VITE_APP_ENV comes from {@code
   * netlify.env.silo}; the URLs are the stable Fly URLs and the key is the one step 3 mints.
   */
  static Map<String, String> netlifyVariables(SiloNames names, SiloConfig loaded, String anonKey) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("VITE_SUPABASE_URL", names.flyUrl("kong"));
    variables.put("VITE_SUPABASE_ANON_KEY", anonKey);
    String appEnv = loaded.netlifyEnv().get("VITE_APP_ENV");
    variables.put("VITE_APP_ENV", appEnv == null || appEnv.isBlank() ? "development" : appEnv);
    variables.put("VITE_API_URL", names.flyUrl("rest"));
    return variables;
  }
}
