package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.command.CommandActivities;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.ReleaseDatabaseActivities;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.health.HealthActivities;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.power.PowerAction;
import dev.silo.workflows.power.PowerReport;
import dev.silo.workflows.power.SiloPowerRequest;
import dev.silo.workflows.power.SiloPowerWorkflow;
import dev.silo.workflows.release.ReleaseActivities;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker serves the silo's stop and start on the silo queue beside the deployment. */
class PowerRegistrationTest {

  private final TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance();

  @AfterEach
  void close() {
    environment.close();
  }

  @Test
  void givenTheWorkerRegistered_whenAStopWithABadNameIsStarted_itShouldBeServedAndRefused() {
    SiloWorker.register(environment.getWorkerFactory(), SiloWorker.Queues.DEFAULT, new SiloActivities(
        mockOf(ConfigActivities.class), mockOf(GitActivities.class), mockOf(DockerActivities.class),
        mockOf(FlyActivities.class), mockOf(NetlifyActivities.class), mockOf(DeskActivities.class),
        mockOf(DatabaseActivities.class), mockOf(ReleaseActivities.class), mockOf(ReleaseDatabaseActivities.class),
        mockOf(LockActivities.class), mockOf(CommandActivities.class), mockOf(HealthActivities.class),
        mockOf(NotifyActivities.class)));
    environment.start();
    SiloPowerWorkflow stop = environment.getWorkflowClient().newWorkflowStub(SiloPowerWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("silo-power-x").setTaskQueue(TaskQueues.SILO).build());
    WorkflowStub stub = WorkflowStub.fromTyped(stop);
    stub.start(new SiloPowerRequest("Not A Name!", "app", PowerAction.STOP, "tester"));

    // A failed run proves a worker picked the workflow up; an unserved one would time out here.
    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> stub.getResult(30, TimeUnit.SECONDS, PowerReport.class));

    assertThat(failed).isNotNull();
    if (!(failed.getCause() instanceof ApplicationFailure refusal)) {
      throw new AssertionError("the run should be refused with an ApplicationFailure", failed);
    }
    assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(refusal.getOriginalMessage()).startsWith("invalid silo name: client 'Not A Name!' is not valid");
  }

  private static <T> T mockOf(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }
}
