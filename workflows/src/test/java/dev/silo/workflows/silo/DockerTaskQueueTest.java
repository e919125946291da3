package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.TaskQueues;
import org.junit.jupiter.api.Test;

class DockerTaskQueueTest {

  @Test
  void givenARequestAndAConfigQueue_whenResolved_itShouldPreferTheRequestThenTheConfigThenTheDefault() {
    assertThat(DockerTaskQueue.resolve("engine-a", "engine-b")).isEqualTo("engine-a");
    assertThat(DockerTaskQueue.resolve(null, "engine-b")).isEqualTo("engine-b");
    assertThat(DockerTaskQueue.resolve(null, null)).isEqualTo(TaskQueues.DOCKER);
  }

  @Test
  void givenABlankRequestQueue_whenRequested_itShouldCountAsNotGiven() {
    assertThat(new SiloDeploymentRequest("acme", "crm", "alice", null, null, " ").dockerTaskQueue()).isNull();
  }

  @Test
  void givenQueueNames_whenChecked_itShouldAcceptWhatOperatorsTypeAndNameTheRuleOtherwise() {
    assertThat(DockerTaskQueue.problem("silo-docker")).isNull();
    assertThat(DockerTaskQueue.problem("engine_b.eu-west.1")).isNull();
    assertThat(DockerTaskQueue.problem(" ")).isEqualTo("must name a task queue");
    assertThat(DockerTaskQueue.problem("-engine")).startsWith("may hold only letters, digits");
    assertThat(DockerTaskQueue.problem("engine/b")).startsWith("may hold only letters, digits");
    assertThat(DockerTaskQueue.problem("e".repeat(DockerTaskQueue.MAX_LENGTH + 1)))
        .isEqualTo("must be at most 200 characters long");
  }
}
