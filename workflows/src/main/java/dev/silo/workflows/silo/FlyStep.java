package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.database.ApplyMigrationsRequest;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.DatabaseTarget;
import dev.silo.workflows.database.EnsureSecretsRequest;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.MintKeysRequest;
import dev.silo.workflows.database.MintSiloKeysRequest;
import dev.silo.workflows.database.SecretRef;
import dev.silo.workflows.database.SiloKeys;
import dev.silo.workflows.database.SiloSecrets;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyOrganization;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Step 3: the Fly organization, the six apps created and deployed in parallel, then the migrations
 * and the API keys. On failure it destroys the apps this run created (a saga whose compensations
 * are registered before each create, so an app whose create timed out after succeeding is still
 * removed) and leaves apps that existed before the run alone.
 *
 * <p>Each app's machine is deployed by {@link FlyMachineDeploy}: submitted, then waited for by an
 * activity that holds no worker slot ({@value FlyMachineDeploy#SUBMIT_THEN_AWAIT}).
 *
 * <p>The secrets are passed by reference ({@link #SECRETS_BY_REFERENCE}); runs that started before
 * that change pass them by value, and keep doing so on replay.
 *
 * <p>Which apps existed before is looked up once, before anything is created, and recorded in the
 * history ({@link #EXISTED_BEFORE_RECORDED}). Runs that started before that change decided it from
 * each create's answer, which a create retried after a lost reply gets wrong: the retry finds the
 * app the first attempt made and calls it pre-existing. Those runs keep deciding it that way on
 * replay.
 *
 * <p>It is one unit over 300 lines because the saga's compensations read what the deploys recorded
 * (which apps existed before, which creates answered), and that state must not leave the step.
 */
final class FlyStep implements SiloStep<FlyStep.FlyResult> {

  /** Self-hosted Supabase mints its keys for years; the silo's are rotated with the silo. */
  private static final Duration KEY_VALIDITY = Duration.ofDays(5 * 365);
  private static final String PG_SERVICE = "pg";
  private static final int POSTGRES_PORT = 5432;

  /** Marks the runs that record which apps existed before they create any. */
  static final String EXISTED_BEFORE_RECORDED = "fly-existed-before-recorded";

  /**
   * Marks the runs that pass the silo's secrets by reference ({@link SecretRef}): the activities
   * read them from the worker's secret store, so neither the database password, the JWT secret nor
   * the service_role key is in the history, encrypted or not.
   */
  static final String SECRETS_BY_REFERENCE = "secrets-by-reference";

  /**
   * Marks the runs whose migration activity reads the files from the silo's config directory: the
   * config step returned their hashes and sizes, not their content. A run that started before sent
   * the content it had loaded and keeps doing so on replay.
   */
  static final String MIGRATIONS_READ_BY_ACTIVITY = "migrations-read-by-activity";

  /**
   * Marks the runs that report an app the rollback found gone, and whose create never answered, as
   * {@value #NOT_CREATED} rather than destroyed.
   */
  static final String NOT_CREATED_REPORTED = "fly-not-created-reported";

  /** The state of an app the rollback found gone and this run never had a create answered for. */
  static final String NOT_CREATED = "not created";

  /**
   * What the silo's developers and the later steps need from Fly, and what the report says of it.
   * A step that did not complete has only the first three; its apps' states are as they were when
   * it stopped, or, after the rollback, as the rollback left them.
   *
   * @param organization the organization as Fly confirmed it (whether this run created it), or null
   * @param existedBefore the apps that existed before this run created any
   * @param appStates each app's state: started, failed, destroyed, kept when it existed before, or
   *     {@value #NOT_CREATED}
   * @param deployments the started apps, by name
   * @param migrations the migrations, or null when the step did not get to them
   * @param keys the minted keys, or null
   * @param database the silo's database, or null
   */
  record FlyResult(FlyOrganization organization, Set<String> existedBefore, Map<String, String> appStates,
      Map<String, FlyDeployment> deployments, MigrationResult migrations, SiloKeys keys, DatabaseTarget database) {

    boolean complete() {
      return keys != null;
    }
  }

  static final StepKey<FlyResult> FLY = StepKey.of(StepName.FLY, FlyResult.class);

  private final FlyActivities fly = Workflow.newActivityStub(FlyActivities.class, SiloActivityOptions.FLY_API);
  private final FlyActivities flyDestroy =
      Workflow.newActivityStub(FlyActivities.class, SiloActivityOptions.FLY_DESTROY);
  private final DatabaseActivities database =
      Workflow.newActivityStub(DatabaseActivities.class, SiloActivityOptions.DATABASE);

  private final SiloNames names;
  private final Set<String> existedBefore = new HashSet<>();
  private final Map<String, String> appStates = new LinkedHashMap<>();
  /** The apps whose create answered, created or found: they stood when this run last looked. */
  private final Set<String> createAnswered = new HashSet<>();
  /** The apps whose destroy the saga holds: each once, however many times the step runs. */
  private final Set<String> compensated = new HashSet<>();
  private boolean existedBeforeRecorded;
  private Saga saga;
  private FlyOrganization organization;
  /** Whether the organization existed before this run created anything; null when not asked. */
  private Boolean organizationExistedBefore;

  FlyStep(SiloNames names) {
    this.names = names;
  }

  @Override
  public StepKey<FlyResult> produces() {
    return FLY;
  }

  @Override
  public List<StepKey<?>> needs() {
    return List.of(ValidateStep.VALIDATED);
  }

  @Override
  public String starting(StepResults results) {
    return "ensuring organization " + names.flyOrg();
  }

  @Override
  public FlyResult run(StepResults results, StepContext context) {
    SiloConfig config = results.get(ValidateStep.VALIDATED).config();
    // A step run again after a failure (guided failure's retry) keeps its saga: the apps its first
    // run created are still this run's to destroy, and what existed before is what the first look-up found.
    if (saga == null) {
      saga = new Saga(new Saga.Options.Builder().setParallelCompensation(true).setContinueWithError(true).build());
    }
    return Failures.orStepFailure(() -> deploy(config, context),
        message -> new StepFailure(StepName.FLY, "Fly deployment failed: " + message));
  }

  @Override
  public String finished(FlyResult result) {
    return result.deployments().size() + " apps started, " + result.migrations().applied().size()
        + " migrations applied";
  }

  @Override
  public FlyResult partial() {
    return new FlyResult(organization, Set.copyOf(existedBefore), Map.copyOf(appStates), Map.of(), null, null, null);
  }

  @Override
  public boolean compensable() {
    return true;
  }

  /**
   * Destroys every app this run may have created, and leaves the apps that existed before it alone.
   * The runner calls it in a detached cancellation scope, so a cancelled run still cleans up.
   */
  @Override
  public FlyResult compensate() {
    if (saga != null) {
      saga.compensate();
    }
    return partial();
  }

  private FlyResult deploy(SiloConfig config, StepContext context) {
    recordWhatExistedBefore(config.flyApps());
    organization = createdIfAbsentBefore(fly.ensureOrganization(new EnsureOrganizationRequest(names.flyOrg())));
    String org = organization.slug();
    // Runs that started before secrets were passed by reference keep passing them by value.
    boolean byReference =
        Workflow.getVersion(SECRETS_BY_REFERENCE, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    SiloSecrets secrets = null;
    if (byReference) {
      database.prepareSecrets(new EnsureSecretsRequest(names.siloId()));
    } else {
      secrets = database.ensureSecrets(new EnsureSecretsRequest(names.siloId()));
    }
    context.update("deploying " + config.flyApps().size() + " apps in org " + org);
    Map<String, FlyDeployment> deployments = deployAll(org, config.flyApps(), secrets);
    FlyDeployment pg = deployments.get(names.flyApp(PG_SERVICE));
    String host = pg.hostname();
    int port = pg.publicPorts().getOrDefault(String.valueOf(POSTGRES_PORT), POSTGRES_PORT);
    DatabaseTarget target = byReference
        ? DatabaseTarget.withStoredPassword(host, port, "postgres", "postgres",
            SecretRef.databasePassword(names.siloId()))
        : new DatabaseTarget(host, port, "postgres", "postgres", secrets.databasePassword());
    context.update("applying " + config.migrations().size() + " migrations");
    MigrationResult migrations = database.applyMigrations(migrationsRequest(names, config, target));
    SiloKeys keys = byReference
        ? new SiloKeys(database.mintSiloKeys(new MintSiloKeysRequest(names.siloId(), KEY_VALIDITY)).anonKey(), null)
        : database.mintKeys(new MintKeysRequest(secrets.jwtSecret(), KEY_VALIDITY));
    return new FlyResult(organization, Set.copyOf(existedBefore), Map.copyOf(appStates), Map.copyOf(deployments),
        migrations, keys, target);
  }

  private static ApplyMigrationsRequest migrationsRequest(SiloNames names, SiloConfig config, DatabaseTarget target) {
    if (Workflow.getVersion(MIGRATIONS_READ_BY_ACTIVITY, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return new ApplyMigrationsRequest(target, config.migrations(), false);
    }
    return new ApplyMigrationsRequest(target, config.migrations(), false, names.configDirectory());
  }

  /**
   * The organization as this run made it: one the look-up before any create did not find was
   * created by this run, even when the create's retry (after a worker died with the first attempt's
   * reply) found it and said it existed. Results recorded before the look-up asked for the
   * organization keep what the create said.
   */
  private FlyOrganization createdIfAbsentBefore(FlyOrganization ensured) {
    if (Boolean.FALSE.equals(organizationExistedBefore) && !ensured.created()) {
      return new FlyOrganization(ensured.slug(), ensured.id(), true);
    }
    return ensured;
  }

  /**
   * Looks up, before anything is created, which of the silo's apps exist already. The answer is an
   * activity result, so it is in the history: no retry or replay can change it.
   */
  private void recordWhatExistedBefore(List<FlyAppSpec> specs) {
    if (existedBeforeRecorded) {
      return;
    }
    int version = Workflow.getVersion(EXISTED_BEFORE_RECORDED, Workflow.DEFAULT_VERSION, 1);
    if (version == Workflow.DEFAULT_VERSION) {
      return;
    }
    List<String> apps = specs.stream().map(spec -> names.flyApp(spec.service())).toList();
    FlyAppsFound found = fly.findApps(new FindFlyAppsRequest(apps, names.flyOrg()));
    existedBefore.addAll(found.existing());
    organizationExistedBefore = found.organizationExists();
    existedBeforeRecorded = true;
  }

  /**
   * Creates and deploys every app. Each machine gets the silo's database password and JWT secret in
   * its environment: by reference, which the activity resolves from the worker's secret store, or,
   * for runs that started before that, by value ({@code secrets} not null).
   */
  private Map<String, FlyDeployment> deployAll(String org, List<FlyAppSpec> specs, SiloSecrets secrets) {
    BiFunction<String, FlyAppSpec, DeployFlyAppRequest> deployRequest;
    if (secrets == null) {
      Map<String, SecretRef> machineSecrets = SecretRef.machineEnvironment(names.siloId());
      deployRequest = (app, spec) -> new DeployFlyAppRequest(app, spec, Map.of(), machineSecrets);
    } else {
      Map<String, String> machineSecrets = Map.of(
          "POSTGRES_PASSWORD", secrets.databasePassword(),
          "JWT_SECRET", secrets.jwtSecret());
      deployRequest = (app, spec) -> new DeployFlyAppRequest(app, spec, machineSecrets);
    }
    FlyMachineDeploy machines = new FlyMachineDeploy();
    Map<String, Promise<FlyDeployment>> inFlight = new LinkedHashMap<>();
    for (FlyAppSpec spec : specs) {
      String app = names.flyApp(spec.service());
      if (compensated.add(app)) {
        saga.addCompensation(() -> destroy(org, app, names.siloId()));
      }
      // A workflow thread rather than a promise callback: callbacks run outside the run's
      // cancellation scope, so a deploy started from one would neither be cancelled with the run
      // nor be prevented from starting after the cancellation.
      Promise<FlyDeployment> deployed = Async.function(() -> {
        boolean created = fly.createApp(new CreateFlyAppRequest(org, app)).created();
        createAnswered.add(app);
        if (existedBeforeRecorded) {
          // Only the attempt that made the app answers "created", so a retry can never turn an app
          // this run made into one that existed before. "Created" despite the record means the app
          // was removed since the look-up, and this run made the one that stands now.
          if (created) {
            existedBefore.remove(app);
          }
        } else if (!created) {
          existedBefore.add(app);
        }
        return machines.deploy(deployRequest.apply(app, spec));
      });
      inFlight.put(app, deployed);
    }
    // Wait for every app to settle before judging, so no create is still in flight when the
    // compensations run.
    List<Promise<RuntimeException>> settled = new ArrayList<>();
    inFlight.values().forEach(promise -> settled.add(promise.handle((deployment, failure) -> failure)));
    Promise.allOf(settled).get();
    Map<String, FlyDeployment> deployments = new LinkedHashMap<>();
    ActivityFailure firstFailure = null;
    for (Map.Entry<String, Promise<FlyDeployment>> entry : inFlight.entrySet()) {
      RuntimeException failure = entry.getValue().getFailure();
      if (failure == null) {
        deployments.put(entry.getKey(), entry.getValue().get());
        appStates.put(entry.getKey(), "started");
      } else if (failure instanceof ActivityFailure activityFailure) {
        appStates.put(entry.getKey(), "failed");
        firstFailure = firstFailure == null ? activityFailure : firstFailure;
      } else {
        throw failure;
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
    return deployments;
  }

  private void destroy(String org, String app, String siloId) {
    if (existedBefore.contains(app)) {
      appStates.put(app, "kept (existed before this run)");
      return;
    }
    try {
      boolean alreadyGone = flyDestroy.destroyApp(new DestroyFlyAppRequest(org, app)).alreadyGone();
      // An app whose create never answered and that the rollback found gone was never there: it is
      // reported as such, not as destroyed. (A create that succeeded but whose answer was lost left
      // an app, which the rollback finds and destroys.)
      if (alreadyGone && !createAnswered.contains(app)
          && Workflow.getVersion(NOT_CREATED_REPORTED, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
        appStates.put(app, NOT_CREATED);
        return;
      }
      appStates.put(app, "destroyed");
      countCompensation(siloId, SiloMetrics.OUTCOME_OK);
    } catch (ActivityFailure failure) {
      // The other compensations must still run; the app left behind is reported for an operator.
      appStates.put(app, "destroy failed: " + Failures.message(failure));
      countCompensation(siloId, SiloMetrics.OUTCOME_FAILED);
    }
  }

  private static void countCompensation(String siloId, String outcome) {
    Workflow.getMetricsScope()
        .tagged(Map.of(SiloMetrics.SILO, siloId, SiloMetrics.STEP, StepName.FLY.name(), SiloMetrics.OUTCOME, outcome))
        .counter(SiloMetrics.COMPENSATIONS).inc(1);
  }
}
