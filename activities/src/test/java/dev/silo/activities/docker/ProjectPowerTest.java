package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerPower;
import dev.silo.workflows.docker.ContainersPowered;
import dev.silo.workflows.docker.PowerContainersRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code compose stop} and {@code start} on the real engine: a project's containers are stopped and
 * started again, never removed, a second call changes nothing, and another project is left alone.
 */
@ExtendWith(ContainerEngineTestSupport.class)
class ProjectPowerTest {

  @Test
  void givenRunningProject_whenStoppedThenStarted_itShouldKeepItsContainersAndBringThemBack(DockerEngine engine) {
    try (ProjectUnderTest silo = new ProjectUnderTest(engine);
        ProjectUnderTest other = new ProjectUnderTest(engine)) {
      bringUp(silo);
      bringUp(other);
      String webId = silo.inspect("web").getId();

      ContainersPowered stopped = silo.docker.stopContainers(new PowerContainersRequest(silo.name));

      assertThat(stopped.containers())
          .extracting(ContainerPower::container, ContainerPower::service, ContainerPower::before,
              ContainerPower::after, ContainerPower::changed, ContainerPower::problem)
          .containsExactly(
              tuple(silo.containerName("web"), "web", "running", "exited", true, null),
              tuple(silo.containerName("worker"), "worker", "running", "exited", true, null));
      assertThat(silo.inspect("web").getId()).isEqualTo(webId);
      assertThat(silo.inspect("web").getState().getRunning()).isFalse();
      assertThat(other.inspect("web").getState().getRunning()).isTrue();

      ContainersPowered stoppedAgain = silo.docker.stopContainers(new PowerContainersRequest(silo.name));

      assertThat(stoppedAgain.containers()).extracting(ContainerPower::changed, ContainerPower::after)
          .containsOnly(tuple(false, "exited"));

      ContainersPowered started = silo.docker.startContainers(new PowerContainersRequest(silo.name));

      assertThat(started.containers()).extracting(ContainerPower::container, ContainerPower::after,
              ContainerPower::changed)
          .containsExactly(
              tuple(silo.containerName("web"), "running", true),
              tuple(silo.containerName("worker"), "running", true));
      assertThat(silo.inspect("web").getId()).isEqualTo(webId);
      assertThat(silo.inspect("web").getState().getRunning()).isTrue();

      ContainersPowered startedAgain = silo.docker.startContainers(new PowerContainersRequest(silo.name));

      assertThat(startedAgain.containers()).extracting(ContainerPower::changed, ContainerPower::before)
          .containsOnly(tuple(false, "running"));
    }
  }

  @Test
  void givenProjectWithNoContainers_whenStopped_itShouldAnswerNone(DockerEngine engine) {
    try (ProjectUnderTest empty = new ProjectUnderTest(engine)) {
      assertThat(empty.docker.stopContainers(new PowerContainersRequest(empty.name)).containers()).isEmpty();
      assertThat(empty.docker.startContainers(new PowerContainersRequest(empty.name)).containers()).isEmpty();
    }
  }

  /** A healthy web server and a worker created after it: the order a start keeps. */
  private static void bringUp(ProjectUnderTest project) {
    assertThat(project.start(ServiceDraft.named("web").command(ExampleProject.HTTPD)
        .healthcheck(ExampleProject.httpCheck()).build()).health()).isEqualTo(ContainerHealth.HEALTHY);
    assertThat(project.start(ServiceDraft.named("worker").command("/bin/sleep", "3600").build()).health().isUp())
        .isTrue();
  }
}
