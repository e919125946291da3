package dev.silo.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.silo.workflows.database.ReleaseDatabaseActivities;
import dev.silo.workflows.lock.LockActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The system and status each activity call is counted under. */
class ExternalCallInterceptorTest {

  private final WorkerMetrics metrics = WorkerMetrics.create(Duration.ofMillis(50));
  private final LockActivities lock = mock(LockActivities.class, withSettings().withoutAnnotations());
  private final ReleaseDatabaseActivities database =
      mock(ReleaseDatabaseActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  /** Asks the lock whether a run is alive, then runs SQL that fails on a bug. */
  @WorkflowInterface
  public interface TwoSystemsWorkflow {

    @WorkflowMethod
    String run();
  }

  /** Catches the SQL failure, so that the run completes. */
  public static final class TwoSystemsWorkflowImpl implements TwoSystemsWorkflow {

    private final ActivityOptions once = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build();
    private final LockActivities lock = Workflow.newActivityStub(LockActivities.class, once);
    private final ReleaseDatabaseActivities database = Workflow.newActivityStub(ReleaseDatabaseActivities.class, once);

    @Override
    public String run() {
      lock.isRunning("release-lock-expenses-prod");
      try {
        database.runSql(null);
        return "sql ran";
      } catch (ActivityFailure failure) {
        return "sql failed";
      }
    }
  }

  @AfterEach
  void stop() {
    env.close();
    metrics.close();
  }

  @Test
  void givenAnActivityThatReturnsAndOneThatThrows_whenCounted_itShouldNameTheSystemByPackageAndTheStatus()
      throws InterruptedException {
    doThrow(new IllegalStateException("bug")).when(database).runSql(any());
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setMetricsScope(metrics.scope())
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(new ExternalCallInterceptor()).build())
        .build());
    Worker worker = env.newWorker("external-calls");
    worker.registerWorkflowImplementationTypes(TwoSystemsWorkflowImpl.class);
    worker.registerActivitiesImplementations(lock, database);
    env.start();

    String outcome = env.getWorkflowClient().newWorkflowStub(TwoSystemsWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("external-calls").build()).run();

    assertThat(outcome).isEqualTo("sql failed");
    String lockCall = "activity_type=\"IsRunning\"";
    String sqlCall = "activity_type=\"ReleaseRunSql\"";
    assertThat(sampleOf(lockCall)).contains("system=\"lock\"", "status=\"ok\"").endsWith(" 1.0");
    assertThat(sampleOf(sqlCall)).contains("system=\"database\"", "status=\"error\"").endsWith(" 1.0");
  }

  private String sampleOf(String activityType) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      String sample = metrics.scrape().lines()
          .filter(line -> line.startsWith(ExternalCallInterceptor.EXTERNAL_CALLS + "_total{"))
          .filter(line -> line.contains(activityType)).findFirst().orElse(null);
      if (sample != null) {
        return sample;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no external call counted for " + activityType + " in:\n" + metrics.scrape());
  }
}
