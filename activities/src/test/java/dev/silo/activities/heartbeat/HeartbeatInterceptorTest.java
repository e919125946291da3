package dev.silo.activities.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
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
import org.junit.jupiter.api.Timeout;

/**
 * An activity made of one blocking call longer than its heartbeat timeout (a slow HTTP request, a
 * long SQL statement) sends no heartbeat of its own. On a live worker it must not time out: the
 * worker's {@link HeartbeatInterceptor} heartbeats for it while it runs.
 */
@Timeout(60)
class HeartbeatInterceptorTest {

  private static final String QUEUE = "heartbeat-interceptor-test";

  /** Shorter than the activities' real heartbeat timeout, so the test is quick; the rule is the same. */
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

  /** The blocking call: twice the heartbeat timeout. */
  private static final Duration CALL = HEARTBEAT_TIMEOUT.multipliedBy(2);

  private TestWorkflowEnvironment env;

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void givenTheInterceptor_whenAnActivityBlocksLongerThanItsHeartbeatTimeout_itShouldComplete() {
    start(WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new HeartbeatInterceptor()).build());

    assertThat(run()).isEqualTo("answered");
  }

  @Test
  void givenNoInterceptor_whenAnActivityBlocksLongerThanItsHeartbeatTimeout_itShouldTimeOutOnItsHeartbeat() {
    start(WorkerFactoryOptions.getDefaultInstance());

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class, this::run);

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
    assertThat(failed.getCause().getCause()).isInstanceOfSatisfying(TimeoutFailure.class,
        timeout -> assertThat(timeout.getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT));
  }

  private void start(WorkerFactoryOptions factoryOptions) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setUseTimeskipping(false)
        .setWorkerFactoryOptions(factoryOptions)
        .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(CallingWorkflowImpl.class);
    worker.registerActivitiesImplementations(new SlowCallImpl());
    env.start();
  }

  private String run() {
    return env.getWorkflowClient()
        .newWorkflowStub(CallingWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build())
        .call();
  }

  @ActivityInterface
  public interface SlowCall {
    String answer();
  }

  /** One blocking call that reports no progress, as a single slow request does. */
  static final class SlowCallImpl implements SlowCall {
    @Override
    public String answer() {
      try {
        Thread.sleep(CALL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "answered";
    }
  }

  @WorkflowInterface
  public interface CallingWorkflow {
    @WorkflowMethod
    String call();
  }

  public static class CallingWorkflowImpl implements CallingWorkflow {
    private final SlowCall slow = Workflow.newActivityStub(SlowCall.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());

    @Override
    public String call() {
      return slow.answer();
    }
  }
}
