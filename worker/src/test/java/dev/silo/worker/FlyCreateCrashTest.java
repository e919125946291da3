package dev.silo.worker;

import dev.silo.workflows.fly.InspectFlyAppRequest;
import dev.silo.workflows.fly.FlyAppState;
import static org.assertj.core.api.Assertions.assertThat;
import dev.silo.workflows.fly.DeleteOrganizationRequest;
import dev.silo.workflows.fly.FlyOrganizationDeleted;

import dev.silo.activities.Secret;
import dev.silo.activities.config.ConfigActivitiesImpl;
import dev.silo.activities.database.SecretStore;
import dev.silo.activities.fly.FlyActivitiesImpl;
import dev.silo.activities.fly.FlySettings;
import dev.silo.activities.signing.TrustActivitiesImpl;
import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppPowered;
import dev.silo.workflows.fly.PowerFlyAppRequest;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloDeploymentWorkflowImpl;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed while the six Fly apps were being created, a replacement worker taking the run
 * over, then a machine failing: the rollback must destroy every app this run created, those the
 * dead worker's attempts created included, and the report must say so. The retried creates find
 * those apps on Fly; which apps existed before the run was recorded before any create, so finding
 * them does not make them someone else's.
 *
 * <p>The killed worker is a worker factory of its own on the in-memory test server, serving the
 * activities. Its create attempts carry the create out on the Fly sandbox (or not, for the apps it
 * had not reached), wait until the factory has stopped polling, and end without a result; a second
 * factory with the real activities then polls the same queue and runs the retries. A killed
 * process's attempts end at their start-to-close timeout instead, which the test server does not
 * skip to while they are outstanding; for the run the two are the same: an attempt ended without a
 * result, retried by another worker.
 *
 * <p>The workflow runs on a worker that stays: the test server keeps a run's workflow tasks on the
 * sticky queue of the worker that last ran them, so a killed workflow worker would strand the run
 * there. Instead the test replays the finished run's history from nothing, which shows that every
 * decision rests on the history alone, as a replacement worker rebuilding the run would find it.
 */
@Timeout(120)
class FlyCreateCrashTest {

  private static final String TOKEN = "fm2_create-crash-test-token";
  private static final String QUEUE = "fly-create-crash";
  private static final SiloNames NAMES = SandboxRuns.NAMES;
  /** The apps whose create the killed worker had carried out when it died. */
  private static final Set<String> CREATED_BEFORE_THE_KILL =
      Set.of(NAMES.flyApp("pg"), NAMES.flyApp("rest"), NAMES.flyApp("auth"));
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private final CountDownLatch processGone = new CountDownLatch(1);
  private final Set<String> hangingCreates = ConcurrentHashMap.newKeySet();
  private FlySandbox fly;
  private WorkerFactory killed;
  private WorkerFactory replacement;
  @TempDir Path configRoot;
  @TempDir Path state;

  @BeforeEach
  void start() throws Exception {
    SandboxRuns.copyExampleSilo(configRoot);
    fly = FlySandbox.builder(FlyMachinesSpec.find(), TOKEN).stateDelay(Duration.ofMillis(50)).start();
    SandboxRuns.registerSearchAttributes(env);
    // The workflow's worker runs its local activities (the allowed signers are read locally) and
    // polls no activity task, so every other activity goes to the workers the test kills and starts.
    Worker workflows = env.newWorker(QUEUE, WorkerOptions.newBuilder().setLocalActivityWorkerOnly(true).build());
    workflows.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class);
    workflows.registerActivitiesImplementations(new TrustActivitiesImpl(AllowedSigners.none()));
    env.start();
  }

  @AfterEach
  void close() {
    // The killed worker's threads are still parked in their creates; let them end.
    processGone.countDown();
    if (killed != null) {
      killed.shutdownNow();
    }
    if (replacement != null) {
      replacement.shutdownNow();
    }
    env.close();
    fly.close();
  }

  @Test
  void givenAWorkerKilledWhileTheAppsWereBeingCreated_whenAMachineFailsAfterAReplacementTookOver_itShouldDestroyEveryAppThisRunCreated()
      throws Exception {
    fly.setFailing(NAMES.flyApp("pg"));
    FlyActivities realFly = realFly();
    killed = WorkerFactory.newInstance(env.getWorkflowClient());
    register(killed.newWorker(QUEUE), new CreatesThenDies(realFly));
    killed.start();

    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), QUEUE);
    SandboxRuns.awaitApprovalQuestion(env, run);
    run.approve(new Decision("bob", "plan reviewed"));
    awaitAllSixCreatesInFlight();
    assertThat(fly.apps()).extracting(FlySandbox.AppState::name)
        .containsExactlyInAnyOrderElementsOf(CREATED_BEFORE_THE_KILL);

    // The kill: the worker polls no more, and its parked creates end without a result, each
    // attempt then retried by the server.
    killed.shutdown();
    processGone.countDown();
    killed.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(killed.isTerminated()).as("the killed worker stopped").isTrue();
    replacement = WorkerFactory.newInstance(env.getWorkflowClient());
    register(replacement.newWorker(QUEUE), realFly);
    replacement.start();
    ApplicationFailure failure = FlyStepSandboxTest.failureOf(run);

    assertThat(failure.getType()).isEqualTo(FailureType.SILO_DEPLOYMENT_FAILED.type());
    assertThat(failure.getOriginalMessage()).startsWith("silo deployment failed at FLY");
    assertThat(fly.apps()).as("apps left on Fly after the failed run").isEmpty();
    assertThat(fly.faults().calls("Apps_create"))
        .as("one create per app: the retries found the killed worker's three and made the other three")
        .isEqualTo(6);
    SiloReport report = failure.getDetails().get(0, SiloReport.class);
    assertThat(report.flyApps()).hasSize(6).allSatisfy(app -> {
      assertThat(app.state()).as(app.appName()).isEqualTo("destroyed");
      assertThat(app.createdByThisRun()).as(app.appName()).isTrue();
    });
    // A worker that takes the run over rebuilds it from its history alone: replayed from nothing,
    // the history gives the same decisions, so none of them rested on the killed worker's memory.
    WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory(NAMES.workflowId()), SiloDeploymentWorkflowImpl.class);
  }

  private void register(Worker worker, FlyActivities flyActivities) {
    worker.registerActivitiesImplementations(
        new ConfigActivitiesImpl(configRoot),
        flyActivities,
        FlyStepSandboxTest.healthyDesk(),
        FlyStepSandboxTest.secretsOnlyDatabase(SecretStore.under(state, Clock.systemUTC())),
        FlyStepSandboxTest.siteOnlyNetlify(),
        new TrustActivitiesImpl(AllowedSigners.none()));
  }

  private FlyActivities realFly() {
    return new FlyActivitiesImpl(new FlySettings(Secret.of(TOKEN), fly.url(), fly.graphqlUrl(),
            FlyActivitiesImpl.DEFAULT_HOSTNAME_TEMPLATE), SecretStore.under(state, Clock.systemUTC()));
  }

  private void awaitAllSixCreatesInFlight() {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (hangingCreates.size() < 6) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the six creates never reached the worker; in flight: " + hangingCreates);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the creates", e);
      }
    }
  }

  /**
   * The Fly activities of the worker that is killed: a create of one of {@link
   * #CREATED_BEFORE_THE_KILL} is carried out on Fly, then every create waits until the worker has
   * stopped polling (or the test ends) and ends without a result.
   */
  private final class CreatesThenDies implements FlyActivities {

    private final FlyActivities real;

    CreatesThenDies(FlyActivities real) {
      this.real = real;
    }

    @Override
    public FlyOrganization ensureOrganization(EnsureOrganizationRequest request) {
      return real.ensureOrganization(request);
    }

    @Override
    public FlyAppsFound findApps(FindFlyAppsRequest request) {
      return real.findApps(request);
    }

    @Override
    public FlyApp createApp(CreateFlyAppRequest request) {
      if (CREATED_BEFORE_THE_KILL.contains(request.appName())) {
        real.createApp(request);
      }
      hangingCreates.add(request.appName());
      try {
        processGone.await();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the killed worker's create of " + request.appName() + " has no result");
    }

    @Override
    public FlyDeployment deployApp(DeployFlyAppRequest request) {
      throw new IllegalStateException("the killed worker never got as far as deploying " + request.appName());
    }

    @Override
    public FlyMachine submitMachine(DeployFlyAppRequest request) {
      throw new IllegalStateException("the killed worker never got as far as submitting " + request.appName());
    }

    @Override
    public FlyDeployment awaitMachine(FlyMachine machine) {
      throw new IllegalStateException("the killed worker never got as far as waiting for " + machine.appName());
    }

    @Override
    public FlyAppDestroyed destroyApp(DestroyFlyAppRequest request) {
      throw new IllegalStateException("the killed worker never got as far as destroying " + request.appName());
    }

    @Override
    public FlyAppPowered stopMachines(PowerFlyAppRequest request) {
      throw new IllegalStateException("a deployment never stops machines");
    }

    @Override
    public FlyAppPowered startMachines(PowerFlyAppRequest request) {
      throw new IllegalStateException("a deployment never starts machines this way");
    }

    @Override
    public FlyOrganizationDeleted deleteOrganizationIfEmpty(DeleteOrganizationRequest request) {
      throw new IllegalStateException("a silo deployment never deletes an organization");
    }

    @Override
    public FlyAppState inspectApp(InspectFlyAppRequest request) {
      return real.inspectApp(request);
    }

    @Override
    public String expectedConfigHash(DeployFlyAppRequest request) {
      return real.expectedConfigHash(request);
    }
  }
}
