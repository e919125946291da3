package dev.silo.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyAppState;
import dev.silo.workflows.fly.FlyMachineState;
import dev.silo.workflows.git.BranchPosition;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check's own decisions, with the systems mocked at the activity boundary: what it does when a
 * system cannot be read, when the desk refuses the event, when no webhook is set, and when the
 * deployment is running.
 */
class SiloCheckWorkflowTest {

  private static final SiloNames NAMES = new SiloNames("acme", "crm");
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private final SiloCheckActivities records = mock(SiloCheckActivities.class, withSettings().withoutAnnotations());
  private final FlyActivities fly = mock(FlyActivities.class, withSettings().withoutAnnotations());
  private final NetlifyActivities netlify = mock(NetlifyActivities.class, withSettings().withoutAnnotations());
  private final GitActivities git = mock(GitActivities.class, withSettings().withoutAnnotations());
  private final DeskActivities desk = mock(DeskActivities.class, withSettings().withoutAnnotations());
  private final NotifyActivities notify = mock(NotifyActivities.class, withSettings().withoutAnnotations());
  private final ConfigActivities config = mock(ConfigActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.SILO);
    worker.registerWorkflowImplementationTypes(SiloCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations(records, fly, netlify, git, desk, notify, config);
    env.start();
    when(records.lastDeployment(any())).thenReturn(new LastDeployment("run-1", report(), false));
    when(desk.getApplication(any())).thenReturn(new DeskApplication("acme", "crm", "CRM", Map.of("silo_status", "active")));
    when(fly.inspectApp(any())).thenReturn(new FlyAppState(NAMES.flyApp("rest"), true, NAMES.flyOrg(),
        List.of(new FlyMachineState("m1", "stopped", "i1", "hash"))));
    when(config.loadSiloConfig(any())).thenReturn(new SiloConfig("acme", "crm", "acme-crm", "compose.yml", List.of(),
        List.of(new FlyAppSpec("rest", "fly/rest.toml", null, "postgrest", null, Map.of(), null, null)), Map.of(),
        List.of(), null, false));
    when(fly.expectedConfigHash(any())).thenReturn("hash");
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void givenDriftAndAGitRemoteThatCannotBeRead_whenNoWebhookIsSet_itShouldReportBothLogTheDriftAndNotifyNobody() {
    when(git.branchPosition(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("remote refused", FailureType.VENDOR_REJECTED.type()));
    when(records.webhookConfigured(CheckNames.WEBHOOK_VARIABLE)).thenReturn(false);

    DriftReport report = check();

    assertThat(report.outcome()).isEqualTo(CheckOutcome.DRIFTED);
    assertThat(report.drift()).extracting(DriftItem::line)
        .containsExactly("fly machine devenv-acme-crm-rest/m1: expected started, found stopped");
    assertThat(report.unreadable()).singleElement().asString().startsWith("git: ").contains("remote refused");
    assertThat(report.deskEventLogged()).isTrue();
    assertThat(report.notified()).isFalse();
    verify(notify, never()).notify(any());
  }

  @Test
  void givenDriftAndADeskThatRefusesTheEvent_whenChecked_itShouldStillReportTheDriftAndNotify() {
    when(git.branchPosition(any())).thenReturn(new BranchPosition(NAMES.branch(), true, COMMIT, true));
    when(desk.logSiloEvent(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("desk says no", FailureType.VENDOR_REJECTED.type()));
    when(records.webhookConfigured(CheckNames.WEBHOOK_VARIABLE)).thenReturn(true);

    DriftReport report = check();

    assertThat(report.outcome()).isEqualTo(CheckOutcome.DRIFTED);
    assertThat(report.deskEventLogged()).isFalse();
    assertThat(report.notified()).isTrue();
  }

  @Test
  void givenNothingDriftedButAnUnreadableSystem_whenChecked_itShouldBeIncompleteAndTellNobody() {
    when(fly.inspectApp(any())).thenReturn(new FlyAppState(NAMES.flyApp("rest"), true, NAMES.flyOrg(),
        List.of(new FlyMachineState("m1", "started", "i1", "hash"))));
    when(git.branchPosition(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("remote refused", FailureType.VENDOR_REJECTED.type()));

    DriftReport report = check();

    assertThat(report.outcome()).isEqualTo(CheckOutcome.INCOMPLETE);
    verify(desk, never()).logSiloEvent(any());
    verify(notify, never()).notify(any());
  }

  @Test
  void givenAConfigThatNoLongerReads_whenChecked_itShouldListTheAppAsNotComparedAndCompareTheRest() {
    when(git.branchPosition(any())).thenReturn(new BranchPosition(NAMES.branch(), true, COMMIT, true));
    when(config.loadSiloConfig(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("fly/rest.toml: [build] image is missing", FailureType.INVALID_CONFIG.type()));

    DriftReport report = check();

    assertThat(report.outcome()).isEqualTo(CheckOutcome.DRIFTED);
    assertThat(report.drift()).extracting(DriftItem::line)
        .containsExactly("fly machine devenv-acme-crm-rest/m1: expected started, found stopped");
    assertThat(report.notCompared()).contains("fly config hash of devenv-acme-crm-rest: the silo's config cannot be"
        + " read: fly/rest.toml: [build] image is missing");
    verify(fly, never()).expectedConfigHash(any());
  }

  @Test
  void givenAMachineWithAnotherHashThanItsConfigGives_whenChecked_itShouldReportBothHashes() {
    when(git.branchPosition(any())).thenReturn(new BranchPosition(NAMES.branch(), true, COMMIT, true));
    when(fly.expectedConfigHash(any())).thenReturn("0123456789abcdef-from-the-config");

    DriftReport report = check();

    assertThat(report.drift()).extracting(DriftItem::line).containsExactly(
        "fly machine devenv-acme-crm-rest/m1: expected started, found stopped",
        "fly machine devenv-acme-crm-rest/m1 config hash: expected 0123456789ab, found hash");
    assertThat(report.notCompared()).noneMatch(line -> line.startsWith("fly config hash"));
  }

  @Test
  void givenTheDeploymentRunning_whenChecked_itShouldCompareNothing() {
    when(records.lastDeployment(any())).thenReturn(new LastDeployment("run-1", report(), true));

    DriftReport report = check();

    assertThat(report.outcome()).isEqualTo(CheckOutcome.DEPLOYMENT_RUNNING);
    verify(fly, never()).inspectApp(any());
    verify(desk, never()).getApplication(any());
  }

  private DriftReport check() {
    return env.getWorkflowClient().newWorkflowStub(SiloCheckWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(CheckNames.manualWorkflowId(NAMES, "test")).setTaskQueue(TaskQueues.SILO).build())
        .check(new SiloCheckRequest("acme", "crm"));
  }

  private static SiloReport report() {
    return new SiloReport(NAMES.siloId(), NAMES.workflowId(), SiloStatus.DEPLOYED, null, "alice", null, List.of(),
        NAMES.flyOrg(), List.of(new SiloReport.FlyAppReport(NAMES.flyApp("rest"), NAMES.flyUrl("rest"), "started", true)),
        List.of(), null, new SiloReport.BranchReport(NAMES.branch(), COMMIT, "CREATED"), null, true, List.of(),
        List.of(), List.of(), List.of(), List.of(), null);
  }
}
