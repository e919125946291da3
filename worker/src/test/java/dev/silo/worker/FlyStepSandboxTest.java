package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.silo.activities.config.ConfigActivitiesImpl;
import dev.silo.activities.fly.FlyActivitiesImpl;
import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.SiloSecrets;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.silo.ApprovalPolicy;
import dev.silo.workflows.silo.Decision;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloDeploymentWorkflowImpl;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Fly saga against the Fly sandbox, with the real Fly activities: a create whose reply is lost
 * after Fly applied it must not leave the app behind when the run fails.
 */
@Timeout(120)
class FlyLostReplySagaTest {

  private static final String TOKEN = "fm2_lost-reply-saga-test-token";
  private static final String QUEUE = "fly-lost-reply-saga";
  private static final SiloNames NAMES = new SiloNames("acme", "crm");
  // Surefire runs in the module's directory; the example silo lives beside the modules.
  private static final Path EXAMPLE_SILOS = Path.of("..", "examples", "config", "silos").toAbsolutePath().normalize();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private FlySandbox fly;

  @BeforeEach
  void start() throws Exception {
    fly = FlySandbox.builder(FlyMachinesSpec.find(), TOKEN).stateDelay(Duration.ofMillis(50)).start();
    for (SearchAttributeKey<String> key : List.of(SiloSearchAttributes.CLIENT, SiloSearchAttributes.APP,
        SiloSearchAttributes.STEP, SiloSearchAttributes.STATUS)) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ConfigActivitiesImpl(EXAMPLE_SILOS),
        FlyActivitiesImpl.fromEnvironment(Map.of(
            FlyActivitiesImpl.TOKEN_VARIABLE, TOKEN,
            FlyActivitiesImpl.API_URL_VARIABLE, fly.url(),
            FlyActivitiesImpl.GRAPHQL_URL_VARIABLE, fly.graphqlUrl())),
        healthyDesk(),
        secretsOnlyDatabase(),
        siteOnlyNetlify());
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

    SiloDeploymentWorkflow run = env.getWorkflowClient().newWorkflowStub(SiloDeploymentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(NAMES.workflowId()).setTaskQueue(QUEUE).build());
    WorkflowClient.start(run::deploy, new SiloDeploymentRequest("acme", "crm", "alice", EXAMPLE_SILOS.toString(),
        ApprovalPolicy.defaults(), null, true));
    awaitApprovalQuestion(run);
    run.approve(new Decision("bob", "plan reviewed"));

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(run).getResult(SiloReport.class));

    assertThat(failed).as("the run should fail at the Fly step").isNotNull();
    assertThat(failed.getCause()).isInstanceOfSatisfying(ApplicationFailure.class,
        failure -> assertThat(failure.getType()).isEqualTo(FailureType.SILO_DEPLOYMENT_FAILED.type()));
    assertThat(fly.faults().calls("Apps_create")).as("one create per app, the lost one included").isEqualTo(6);
    assertThat(fly.apps()).as("apps left on Fly after the failed run").isEmpty();
    SiloReport report = ((ApplicationFailure) failed.getCause()).getDetails().get(0, SiloReport.class);
    assertThat(report.flyApps()).allSatisfy(app -> {
      assertThat(app.state()).as(app.appName()).isEqualTo("destroyed");
      assertThat(app.createdByThisRun()).as(app.appName()).isTrue();
    });
  }

  private void awaitApprovalQuestion(SiloDeploymentWorkflow run) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        SiloProgress progress = run.progress();
        if (progress.pending() != null && SiloDeploymentWorkflow.APPROVE.equals(progress.pending().signal())) {
          return;
        }
      } catch (WorkflowException notReadyYet) {
        // The run has not completed its first workflow task yet; the query is answered once it has.
      }
      env.sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("the run never asked for approval");
  }

  private static DeskActivities healthyDesk() {
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

  private static NetlifyActivities siteOnlyNetlify() {
    NetlifyActivities netlify = mock(NetlifyActivities.class, withSettings().withoutAnnotations());
    doAnswer(call -> new NetlifySite("site-acme-crm-web", "acme-crm-web")).when(netlify).describeSite(any());
    return netlify;
  }

  private static DatabaseActivities secretsOnlyDatabase() {
    DatabaseActivities database = mock(DatabaseActivities.class, withSettings().withoutAnnotations());
    doAnswer(call -> new SiloSecrets("test-db-password", "test-jwt-secret")).when(database).ensureSecrets(any());
    return database;
  }
}
