package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

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
import dev.silo.workflows.release.ReleaseActivities;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import dev.silo.workflows.release.ReleaseRequest;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SiloWorkerTest {

  private final TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance();

  @AfterEach
  void close() {
    environment.close();
  }

  @Test
  void givenEverySystemMocked_whenRegistered_itShouldServeTheWorkflowsWithoutActivityNameClashes()
      throws Exception {
    SiloActivities all =
        new SiloActivities(
            mockOf(ConfigActivities.class),
            mockOf(GitActivities.class),
            mockOf(DockerActivities.class),
            mockOf(FlyActivities.class),
            mockOf(NetlifyActivities.class),
            mockOf(DeskActivities.class),
            mockOf(DatabaseActivities.class),
            mockOf(ReleaseActivities.class),
            mockOf(ReleaseDatabaseActivities.class),
            mockOf(LockActivities.class),
            mockOf(CommandActivities.class),
            mockOf(HealthActivities.class),
            mockOf(NotifyActivities.class));

    SiloWorker.register(environment.getWorkerFactory(), SiloWorker.Queues.DEFAULT, all);
    environment.start();

    assertThat(all.unavailable()).isEmpty();
    assertThat(environment.getWorkerFactory().tryGetWorker(TaskQueues.DOCKER)).isNotNull();
    SiloDeploymentWorkflow workflow =
        environment
            .getWorkflowClient()
            .newWorkflowStub(
                SiloDeploymentWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SILO).build());
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.start(new SiloDeploymentRequest("Not A Name!", "app", "tester", null, null, null));

    // A failed run proves a worker picked the workflow up; an unserved one would time out here.
    assertThatThrownBy(() -> stub.getResult(30, TimeUnit.SECONDS, Object.class))
        .isInstanceOf(WorkflowFailedException.class);

    WorkflowStub release = WorkflowStub.fromTyped(environment.getWorkflowClient().newWorkflowStub(
        ReleasePipelineWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SILO).build()));
    release.start(new ReleaseRequest("Not A Project!", "v1", "prod", "tester", false, false));
    assertThatThrownBy(() -> release.getResult(30, TimeUnit.SECONDS, Object.class))
        .isInstanceOf(WorkflowFailedException.class);
  }

  @Test
  void givenOnlyConfig_whenListingUnavailableSystems_itShouldNameTheRestInOrder() {
    SiloActivities onlyConfig =
        new SiloActivities(mockOf(ConfigActivities.class), null, null, null, null, null, null,
            null, null, null, null, null, null);

    assertThat(onlyConfig.unavailable())
        .containsExactly("git", "docker", "fly", "netlify", "desk", "database",
            "release", "release-database", "lock", "command", "health", "notify");
    // The worker's allowed signers are always served: without a file they say decisions are unsigned.
    assertThat(onlyConfig.onSiloQueue()).containsExactly(onlyConfig.config(), onlyConfig.trust());
  }

  private static <T> T mockOf(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }
}
