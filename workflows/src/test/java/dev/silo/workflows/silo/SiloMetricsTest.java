package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.flyApp;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;

import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.metrics.RecordingStatsReporter;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a silo run reports to the worker's metrics: steps, their durations, waits for people and compensations. */
@Timeout(30)
class SiloMetricsTest {

  private static final String SILO_ID = "acme-crm";
  private static final Map<String, String> THE_SILO = Map.of(SiloMetrics.SILO, SILO_ID);
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final RecordingStatsReporter reporter = new RecordingStatsReporter();
  private final Scope scope = reporter.scope();
  private final SiloFixture silo = new SiloFixture();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void startWorkers() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setMetricsScope(scope).build());
    for (SearchAttributeKey<String> key : SiloSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = env.newWorker("silo-metrics-test");
    worker.registerWorkflowImplementationTypes(SiloDeploymentWorkflowImpl.class);
    silo.start(env, worker);
  }

  @AfterEach
  void stop() throws ScopeCloseException {
    env.close();
    scope.close();
  }

  @Test
  void givenApprovedPlan_whenEverySystemIsHealthy_itShouldCountAndTimeEveryStepAndShowTheWaitForApproval()
      throws InterruptedException, ScopeCloseException {
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    awaitGauge(SiloMetrics.APPROVALS_WAITING, 1.0);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));

    run.deployed();
    scope.close();

    for (StepName step : StepName.values()) {
      Map<String, String> tags = Map.of(SiloMetrics.SILO, SILO_ID, SiloMetrics.STEP, step.name());
      assertThat(reporter.counter(SiloMetrics.STEPS_STARTED, tags)).as("%s started", step).isEqualTo(1);
      assertThat(reporter.counter(SiloMetrics.STEPS_SUCCEEDED, tags)).as("%s succeeded", step).isEqualTo(1);
      assertThat(reporter.timer(SiloMetrics.STEP_DURATION, tags)).as("%s duration", step).hasSize(1);
    }
    assertThat(reporter.counter(SiloMetrics.STEPS_FAILED, THE_SILO)).isZero();
    assertThat(reporter.counter(SiloMetrics.STEPS_DEGRADED, THE_SILO)).isZero();
    assertThat(reporter.counter(SiloMetrics.COMPENSATIONS, THE_SILO)).isZero();
    // The approval wait happens inside the validate step, on the workflow clock.
    assertThat(reporter.timer(SiloMetrics.STEP_DURATION,
        Map.of(SiloMetrics.SILO, SILO_ID, SiloMetrics.STEP, StepName.VALIDATE.name())))
        .singleElement().satisfies(took -> assertThat(took).isPositive());
    assertThat(reporter.gauge(SiloMetrics.APPROVALS_WAITING, THE_SILO)).containsExactly(1.0, 0.0);
  }

  @Test
  void givenFlyDeployFailure_whenCompensating_itShouldCountTheFailedStepAndEachAppDestroyedOrNot() throws ScopeCloseException {
    doReturn(new FlyAppsFound(List.of(flyApp("pg")))).when(silo.fly).findApps(any());
    doReturn(new FlyApp(flyApp("pg"), SILO_ID, false))
        .when(silo.fly).createApp(argThat(request -> flyApp("pg").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("machine 3d8d9e never passed its health checks",
        FailureType.DEPLOY_FAILED.type()))
        .when(silo.fly).deployApp(argThat(request -> flyApp("studio").equals(request.appName())));
    doThrow(ApplicationFailure.newNonRetryableFailure("app is locked", FailureType.VENDOR_REJECTED.type()))
        .when(silo.fly).destroyApp(argThat(request -> flyApp("kong").equals(request.appName())));

    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());
    scope.close();

    Map<String, String> fly = Map.of(SiloMetrics.SILO, SILO_ID, SiloMetrics.STEP, StepName.FLY.name());
    assertThat(reporter.counter(SiloMetrics.STEPS_FAILED, fly)).isEqualTo(1);
    assertThat(reporter.counter(SiloMetrics.STEPS_FAILED, THE_SILO)).isEqualTo(1);
    assertThat(reporter.counter(SiloMetrics.STEPS_SUCCEEDED, fly)).isZero();
    assertThat(reporter.timer(SiloMetrics.STEP_DURATION, fly)).hasSize(1);
    // pg existed before the run and is kept; the five apps the run created were compensated, one in vain.
    assertThat(reporter.counter(SiloMetrics.COMPENSATIONS, fly)).isEqualTo(5);
    assertThat(reporter.counter(SiloMetrics.COMPENSATIONS, Map.of(SiloMetrics.SILO, SILO_ID,
        SiloMetrics.OUTCOME, SiloMetrics.OUTCOME_OK))).isEqualTo(4);
    assertThat(reporter.counter(SiloMetrics.COMPENSATIONS, Map.of(SiloMetrics.SILO, SILO_ID,
        SiloMetrics.OUTCOME, SiloMetrics.OUTCOME_FAILED))).isEqualTo(1);
    // Steps that never began count nowhere: Netlify needs what Fly did not produce.
    Map<String, String> netlify = Map.of(SiloMetrics.SILO, SILO_ID, SiloMetrics.STEP, StepName.NETLIFY.name());
    assertThat(reporter.counter(SiloMetrics.STEPS_STARTED, netlify)).isZero();
  }

  /** Waits, in real time, until the scope has reported the gauge at the value, as a dashboard would show it. */
  private void awaitGauge(String gauge, double value) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!reporter.gauge(gauge, THE_SILO).contains(value)) {
      assertThat(System.nanoTime()).as("%s never reported %s", gauge, value).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
