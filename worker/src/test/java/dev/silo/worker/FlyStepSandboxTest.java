package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import dev.silo.activities.Secret;
import dev.silo.activities.config.ConfigActivitiesImpl;
import dev.silo.activities.database.SecretStore;
import dev.silo.activities.fly.FlyActivitiesImpl;
import dev.silo.activities.fly.FlySettings;
import dev.silo.activities.signing.TrustActivitiesImpl;
import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.SecretsReady;
import dev.silo.workflows.database.SiloSecrets;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloDeploymentWorkflowImpl;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The silo workflow with the real config and Fly activities against the Fly sandbox: what the Fly
 * step leaves on Fly when something goes wrong.
 */
@Timeout(120)
class FlyStepSandboxTest {

  private static final String TOKEN = "fm2_lost-reply-saga-test-token";
  private static final String QUEUE = "fly-step-sandbox";
  private static final SiloNames NAMES = SandboxRuns.NAMES;

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private final DeskActivities desk = healthyDesk();
  private FlySandbox fly;
  @TempDir Path configRoot;
  @TempDir Path state;
  private SecretStore secrets;

  @BeforeEach
  void start() throws Exception {
    SandboxRuns.copyExampleSilo(configRoot);
    secrets = SecretStore.under(state, Clock.systemUTC());
    fly = FlySandbox.builder(FlyMachinesSpec.find(), TOKEN).stateDelay(Duration.ofMillis(50)).start();
    SandboxRuns.registerSearchAttributes(env);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ConfigActivitiesImpl(configRoot),
        new FlyActivitiesImpl(new FlySettings(Secret.of(TOKEN), fly.url(), fly.graphqlUrl(),
            FlyActivitiesImpl.DEFAULT_HOSTNAME_TEMPLATE), SecretStore.under(state, Clock.systemUTC())),
        desk,
        secretsOnlyDatabase(secrets),
        siteOnlyNetlify(),
        new TrustActivitiesImpl(AllowedSigners.none()));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
    fly.close();
  }

  @Test
  void givenACreateAppliedWhoseReplyIsLost_whenALaterAppFails_theFailingRunShouldDestroyThatApp() {
    // The first app create is carried out and its connection dropped: the activity fails, its retry
    // finds the app in the organization and answers "not created".
    fly.faults().dropReply("Apps_create", 1);
    // pg fails to start, so no embedded PostgreSQL is needed and the saga runs.
    fly.setFailing(NAMES.flyApp("pg"));

    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), QUEUE);
    SandboxRuns.awaitApprovalQuestion(env, run);
    run.approve(new Decision("bob", "plan reviewed"));

    ApplicationFailure failure = failureOf(run);

    assertThat(failure.getType()).isEqualTo(FailureType.SILO_DEPLOYMENT_FAILED.type());
    assertThat(failure.getOriginalMessage()).startsWith("silo deployment failed at FLY");
    assertThat(fly.faults().calls("Apps_create")).as("one create per app, the lost one included").isEqualTo(6);
    assertThat(fly.apps()).as("apps left on Fly after the failed run").isEmpty();
    SiloReport report = failure.getDetails().get(0, SiloReport.class);
    assertThat(report.flyApps()).allSatisfy(app -> {
      assertThat(app.state()).as(app.appName()).isEqualTo("destroyed");
      assertThat(app.createdByThisRun()).as(app.appName()).isTrue();
    });
  }

  @Test
  void givenAFlyTomlWithAVmMemoryThatIsNotASize_whenDeployed_itShouldStopAtValidateBeforeApprovalAndCreateNothing()
      throws Exception {
    Path rest = configRoot.resolve("acme-crm/fly/rest.toml");
    Files.writeString(rest, Files.readString(rest).replace("memory = \"512mb\"", "memory = \"lots\""));
    int line = Files.readString(rest).lines().toList().indexOf("  memory = \"lots\"") + 1;

    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), QUEUE);
    ApplicationFailure failure = failureOf(run);

    assertThat(failure.getType()).isEqualTo(FailureType.SILO_DEPLOYMENT_FAILED.type());
    assertThat(failure.getOriginalMessage()).startsWith("silo deployment failed at VALIDATE")
        .contains("fly/rest.toml:" + line + ": vm[0].memory 'lots' is not a size such as 512mb or 1gb");
    SiloReport report = failure.getDetails().get(0, SiloReport.class);
    assertThat(report.decisions()).as("no approval was asked or given").isEmpty();
    assertThat(run.progress().plan()).as("no plan was shown").isNull();
    assertThat(fly.faults().calls("createOrganization")).isZero();
    assertThat(fly.faults().calls("Apps_create")).isZero();
    assertThat(fly.apps()).isEmpty();
    verify(desk, never()).updateSiloStatus(any());
    verify(desk, never()).logSiloEvent(any());
  }

  @Test
  void givenARequestNamingAnotherConfigRoot_whenDeployed_itShouldBeRefusedAtValidateWithOneLineAndRunNothingElse(
      @TempDir Path otherRoot) throws Exception {
    SandboxRuns.copyExampleSilo(otherRoot);

    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), QUEUE, otherRoot.toString());
    ApplicationFailure failure = failureOf(run);

    assertThat(failure.getType()).isEqualTo(FailureType.SILO_DEPLOYMENT_FAILED.type());
    assertThat(failure.getOriginalMessage()).isEqualTo("silo deployment failed at VALIDATE: the silo config is not"
        + " valid: config root '" + otherRoot + "' is not one of the worker's config roots: the worker reads silos"
        + " only under its own SILO_CONFIG_ROOT, so a request names the silo and no config root");
    // The worker's signing rules are read locally first; the config is read beside VALIDATE's two
    // remote reads (validate-local-reads-side-by-side), which write nothing, and its refusal ends the run.
    assertThat(scheduledActivities()).as("activities scheduled")
        .containsExactlyInAnyOrder("LoadSiloConfig", "GetApplication", "DescribeSite");
    assertThat(run.progress().plan()).as("no plan was shown").isNull();
    assertThat(fly.faults().calls("Apps_create")).isZero();
    verify(desk, never()).updateSiloStatus(any());
  }

  /** The activity types the run scheduled, in order. */
  private List<String> scheduledActivities() {
    return env.getWorkflowClient().fetchHistory(NAMES.workflowId()).getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  /** The failure a run ended with; it must end failed, with an {@code ApplicationFailure}. */
  static ApplicationFailure failureOf(SiloDeploymentWorkflow run) {
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(run).getResult(SiloReport.class));
    assertThat(failed).as("the run should have failed").isNotNull();
    if (!(failed.getCause() instanceof ApplicationFailure failure)) {
      throw new AssertionError("the run should fail with an ApplicationFailure", failed);
    }
    return failure;
  }

  static DeskActivities healthyDesk() {
    DeskActivities desk = mock(DeskActivities.class, withSettings().withoutAnnotations());
    doAnswer(call -> new DeskApplication("acme", "crm", "Acme CRM", Map.of())).when(desk).getApplication(any());
    doAnswer(call -> new DeskAck("update_silo_status", call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(),
        false)).when(desk).updateSiloStatus(any());
    doAnswer(call -> new DeskAck("log_silo_event", call.<LogSiloEventRequest>getArgument(0).idempotencyKey(), false))
        .when(desk).logSiloEvent(any());
    doAnswer(call -> new DeskAck("applications.update",
        call.<UpdateApplicationRequest>getArgument(0).idempotencyKey(), false)).when(desk).updateApplication(any());
    return desk;
  }

  static NetlifyActivities siteOnlyNetlify() {
    NetlifyActivities netlify = mock(NetlifyActivities.class, withSettings().withoutAnnotations());
    doAnswer(call -> new NetlifySite("site-acme-crm-web", "acme-crm-web")).when(netlify).describeSite(any());
    return netlify;
  }

  static DatabaseActivities secretsOnlyDatabase(SecretStore secrets) {
    DatabaseActivities database = mock(DatabaseActivities.class, withSettings().withoutAnnotations());
    doAnswer(call -> new SiloSecrets("test-db-password", "test-jwt-secret")).when(database).ensureSecrets(any());
    // The Fly activities resolve the machines' secrets from the store, so they must be in it.
    doAnswer(call -> {
      secrets.ensure(NAMES.siloId());
      return new SecretsReady(NAMES.siloId(), "test-fingerprint");
    }).when(database).prepareSecrets(any());
    return database;
  }
}
