package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static dev.silo.workflows.release.ReleaseFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.metrics.RecordingStatsReporter;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a release's environment deployments report to the worker's metrics: stages, approval waits and rollbacks. */
@Timeout(60)
class ReleaseMetricsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final List<String> STAGES =
      List.of("pre_flight", "schema_deploy", "function_deploy", "rls_deploy", "health_checks", "watch");

  private final RecordingStatsReporter reporter = new RecordingStatsReporter();
  private final Scope scope = reporter.scope();
  private final ReleaseFixture fixture = new ReleaseFixture();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setMetricsScope(scope).build());
    for (SearchAttributeKey<String> key : SiloSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = env.newWorker(TASK_QUEUE);
    fixture.register(env, worker);
    env.start();
  }

  @AfterEach
  void stop() throws ScopeCloseException {
    env.close();
    scope.close();
  }

  @Test
  void givenTheErrorRateSpikes_whenWatched_itShouldCountTheFailedWatchAndOneRollback() throws ScopeCloseException {
    fixture.metrics.put("dev", new MetricsSample(2.5, 150.0));

    WorkflowFailedException failed = catchThrowableOfType(() -> start("dev").getResult(ReleaseReport.class),
        WorkflowFailedException.class);
    assertThat(failed).as("the release should fail").isNotNull();
    scope.close();

    for (String stage : STAGES) {
      assertThat(reporter.counter(SiloMetrics.RELEASE_STAGES_STARTED, stage("dev", stage))).as(stage).isEqualTo(1);
    }
    assertThat(reporter.counter(SiloMetrics.RELEASE_STAGES_FAILED, stage("dev", "watch"))).isEqualTo(1);
    assertThat(reporter.counter(SiloMetrics.RELEASE_STAGES_FAILED, environment("dev"))).isEqualTo(1);
    assertThat(reporter.counter(SiloMetrics.RELEASE_ROLLBACKS, environment("dev"))).isEqualTo(1);
  }

  @Test
  void givenAnApprovalGate_whenApproved_itShouldShowTheWaitThenItsEnd() throws ScopeCloseException {
    WorkflowStub run = start("uat");
    await(() -> deployment("uat").progress().status() == EnvironmentStatus.AWAITING_APPROVAL, "uat awaiting approval");
    await(() -> reporter.gauge(SiloMetrics.RELEASE_APPROVALS_WAITING, environment("uat")).contains(1.0),
        "the uat approval gauge at 1");
    deployment("uat").approve(new Decision("@qa-lead", "smoke tests green"));

    run.getResult(ReleaseReport.class);
    scope.close();

    assertThat(reporter.gauge(SiloMetrics.RELEASE_APPROVALS_WAITING, environment("uat"))).containsExactly(1.0, 0.0);
    // Environments without a gate never wait.
    assertThat(reporter.gauge(SiloMetrics.RELEASE_APPROVALS_WAITING, environment("dev"))).isEmpty();
    assertThat(reporter.counter(SiloMetrics.RELEASE_ROLLBACKS, Map.of(SiloMetrics.PROJECT, PROJECT))).isZero();
    assertThat(reporter.counter(SiloMetrics.RELEASE_STAGES_FAILED, Map.of(SiloMetrics.PROJECT, PROJECT))).isZero();
  }

  private WorkflowStub start(String target) {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, VERSION, target, REQUESTER, false, false));
    return WorkflowStub.fromTyped(workflow);
  }

  private EnvironmentDeploymentWorkflow deployment(String environment) {
    return env.getWorkflowClient().newWorkflowStub(EnvironmentDeploymentWorkflow.class,
        EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), environment));
  }

  private void await(BooleanSupplier condition, String description) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException notYetStarted) {
        // The deployment starts once the previous environment has succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("never saw " + description);
  }

  private static Map<String, String> environment(String environment) {
    return Map.of(SiloMetrics.PROJECT, PROJECT, SiloMetrics.ENVIRONMENT, environment);
  }

  private static Map<String, String> stage(String environment, String stage) {
    return Map.of(SiloMetrics.PROJECT, PROJECT, SiloMetrics.ENVIRONMENT, environment, SiloMetrics.STAGE, stage);
  }
}
