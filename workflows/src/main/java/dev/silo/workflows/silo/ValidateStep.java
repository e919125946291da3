package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.PlanHash;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Step 1: load and validate the config directory, re-read the application from the desk, build the
 * plan, publish it and ask for its approval. A plan rejected or not approved in time aborts the run
 * before anything is created.
 */
final class ValidateStep implements SiloStep<ValidateStep.Validated> {

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

  /**
   * Marks the runs that read the config, the desk's application record and the Netlify site at
   * once. A run that started before read them one after the other, and keeps doing so on replay.
   */
  static final String READS_SIDE_BY_SIDE = "validate-local-reads-side-by-side";

  private final ConfigActivities config =
      Workflow.newActivityStub(ConfigActivities.class, SiloActivityOptions.CONFIG);
  private final DeskActivities desk = Workflow.newActivityStub(DeskActivities.class, SiloActivityOptions.DESK);
  private final NetlifyActivities netlify =
      Workflow.newActivityStub(NetlifyActivities.class, SiloActivityOptions.NETLIFY_API);

  /** The loaded config and the plan built from it. */
  record Validated(SiloConfig config, SiloPlan plan) {}

  static final StepKey<Validated> VALIDATED = StepKey.of(StepName.VALIDATE, Validated.class);

  private final SiloDeploymentRequest request;
  private final DecisionInbox inbox;
  private final DeploymentProgress progress;
  private final boolean signed;

  /**
   * @param signed whether the run verifies signed decisions: the approval then names the plan's
   *     hash, and the config is validated again once approved
   */
  ValidateStep(SiloDeploymentRequest request, DecisionInbox inbox, DeploymentProgress progress, boolean signed) {
    this.request = request;
    this.inbox = inbox;
    this.progress = progress;
    this.signed = signed;
  }

  @Override
  public StepKey<Validated> produces() {
    return VALIDATED;
  }

  @Override
  public List<StepKey<?>> needs() {
    return List.of();
  }

  /** Running the validation again would ask for the plan's approval a second time. */
  @Override
  public boolean guided() {
    return false;
  }

  @Override
  public String starting(StepResults results) {
    return "loading the config and the desk's application record";
  }

  @Override
  public Validated run(StepResults results, StepContext context) {
    Validated validated = validate();
    while (true) {
      String planHash = publish(validated);
      String question = "approve the deployment plan of " + validated.plan().siloId() + " ("
          + validated.plan().containers().size() + " containers, " + validated.plan().flyApps().size()
          + " Fly apps, branch " + validated.plan().branch() + ")" + (signed
          ? ", plan " + DecisionText.shortHash(planHash) : "") + "?";
      Boolean approved = inbox.ask(StepName.VALIDATE, SiloStatus.AWAITING_APPROVAL,
          DecisionInbox.Question.APPROVAL, SiloDeploymentWorkflow.APPROVE, question, request.approval().timeout());
      if (approved == null || !approved) {
        throw StepFailure.aborted(StepName.VALIDATE, approved == null
            ? "not approved within " + request.approval().timeout()
            : "rejected by " + lastAcceptedActor());
      }
      if (!signed) {
        return validated;
      }
      // What was approved must be what runs: the config is read again, and a plan that changed
      // while it waited voids the approval and is asked about again.
      context.update("checking that the approved plan still matches the config");
      Validated again = validate();
      String againHash = planHash(again);
      if (againHash.equals(planHash)) {
        return validated;
      }
      progress.decision(new DecisionRecord(SiloDeploymentWorkflow.APPROVE, null, null, progress.now(), false,
          "approvals void: the plan changed after it was approved (" + DecisionText.shortHash(planHash) + " -> "
              + DecisionText.shortHash(againHash) + "); asking again",
          null, null, planHash, null));
      validated = again;
    }
  }

  @Override
  public String finished(Validated result) {
    return "plan approved by " + lastAcceptedActor();
  }

  /**
   * Reads the config, the desk's application record and the Netlify site, and builds the plan. Since
   * {@value #READS_SIDE_BY_SIDE} the three reads go out at once, none needing another; runs started
   * before read them one after the other. The config stays an activity, not a local one: a local
   * activity holds the workflow task while it runs, so a signal arriving meanwhile (an approval sent
   * early) would wait for the read, and it would save only one round trip through the server.
   */
  private Validated validate() {
    if (Workflow.getVersion(READS_SIDE_BY_SIDE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return validateInOrder();
    }
    SiloNames names = request.names();
    Promise<SiloConfig> loading = Async.function(config::loadSiloConfig,
        new LoadSiloConfigRequest(request.configRoot(), request.client(), request.app()));
    Promise<DeskApplication> reading = Async.function(desk::getApplication,
        new GetApplicationRequest(request.client(), request.app()));
    boolean checkNames =
        Workflow.getVersion(DERIVED_NAMES_CHECKED, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    Promise<NetlifySite> describing = checkNames ? Async.function(netlify::describeSite, new DescribeSiteRequest())
        : Workflow.newPromise(null);
    // Every read settles before any failure is reported, so no read outlives the step, and the
    // failure reported is the first in the runbook's order whatever order the answers came in.
    Workflow.await(() -> loading.isCompleted() && reading.isCompleted() && describing.isCompleted());
    SiloConfig loaded = loaded(loading::get);
    String dockerTaskQueue = dockerTaskQueue(request, loaded);
    DeskApplication application = application(reading::get);
    if (checkNames) {
      checkDerivedNames(names, loaded, site(describing::get));
    }
    return new Validated(loaded, plan(names, loaded, dockerTaskQueue, application));
  }

  private Validated validateInOrder() {
    SiloNames names = request.names();
    SiloConfig loaded = loaded(
        () -> config.loadSiloConfig(new LoadSiloConfigRequest(request.configRoot(), request.client(), request.app())));
    String dockerTaskQueue = dockerTaskQueue(request, loaded);
    DeskApplication application = application(() -> desk.getApplication(
        new GetApplicationRequest(request.client(), request.app())));
    if (Workflow.getVersion(DERIVED_NAMES_CHECKED, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      checkDerivedNames(names, loaded, site(() -> netlify.describeSite(new DescribeSiteRequest())));
    }
    return new Validated(loaded, plan(names, loaded, dockerTaskQueue, application));
  }

  private static SiloConfig loaded(Supplier<SiloConfig> read) {
    return Failures.orStepFailure(read,
        message -> new StepFailure(StepName.VALIDATE, "the silo config is not valid: " + message));
  }

  private static DeskApplication application(Supplier<DeskApplication> read) {
    return Failures.orStepFailure(read,
        message -> new StepFailure(StepName.VALIDATE, "the desk's application record could not be read: " + message));
  }

  private static NetlifySite site(Supplier<NetlifySite> read) {
    return Failures.orStepFailure(read,
        message -> new StepFailure(StepName.VALIDATE, "the Netlify site could not be read: " + message));
  }

  /** Shows the plan with its hash, and tells the inbox whether the silo admits unsigned decisions. */
  private String publish(Validated validated) {
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
  private static String planHash(Validated validated) {
    Map<String, Object> approved = new LinkedHashMap<>();
    approved.put("plan", validated.plan());
    approved.put("config", validated.config());
    return Workflow.sideEffect(String.class, () -> PlanHash.of(approved));
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

  /**
   * Refuses the run, before the plan is shown and anything is created, when a name derived from the
   * silo would be refused where it lands. Every such name is listed with its limit.
   */
  private static void checkDerivedNames(SiloNames names, SiloConfig loaded, NetlifySite site) {
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
        GitStep.BASE_BRANCH,
        NetlifyStep.variables(names, loaded, ANON_KEY_PLACEHOLDER));
  }

  private static SiloPlan.PlannedContainer plannedContainer(ComposeService service) {
    return new SiloPlan.PlannedContainer(service.name(), service.image(), List.copyOf(service.dependsOn().keySet()));
  }
}
