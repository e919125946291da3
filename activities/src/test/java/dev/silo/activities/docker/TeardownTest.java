package dev.silo.activities.docker;

import static dev.silo.activities.docker.ContainerEngineTestSupport.dockerCli;
import dev.silo.workflows.docker.ProjectResources;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.TeardownResult;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code compose down}: a project's containers (running or not) and networks go, its volumes only
 * when asked, and nothing of another project, nor anything merely named like the project, is
 * touched.
 */
@ExtendWith(ContainerEngineTestSupport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeardownTest {

  private DockerEngine engine;
  private ProjectUnderTest other;
  private String otherContainerId;

  @BeforeAll
  void bringUpAnotherProject(DockerEngine engine) {
    this.engine = engine;
    other = new ProjectUnderTest(engine);
    bringUp(other);
    otherContainerId = other.inspect("web").getId();
  }

  @AfterAll
  void removeTheOtherProject() {
    if (other != null) {
      other.close();
    }
  }

  @Test
  void givenProject_whenTornDownKeepingVolumes_itShouldRemoveItsContainersAndNetworksOnly() {
    try (ProjectUnderTest doomed = new ProjectUnderTest(engine)) {
      bringUp(doomed);

      TeardownResult result = doomed.teardown(false);

      assertThat(result.removedContainers())
          .containsExactlyInAnyOrder(doomed.containerName("web"), doomed.containerName("dead"));
      assertThat(result.removedNetworks())
          .containsExactlyInAnyOrder(doomed.name + "_default", doomed.name + "_backend");
      assertThat(result.removedVolumes()).isEmpty();
      assertThat(engine.containers(doomed.label())).isEmpty();
      assertThat(engine.networks(doomed.label())).isEmpty();
      assertThat(engine.volumes(doomed.label()))
          .extracting(volume -> volume.getName())
          .containsExactly(doomed.name + "_data");
      assertThat(dockerCli(engine, "ps", "-a", "-q", "--filter", "label=" + doomed.label()))
          .isBlank();
      assertThat(dockerCli(engine, "network", "ls", "-q", "--filter", "label=" + doomed.label()))
          .isBlank();
      assertTheOtherProjectIsIntact();
    }
  }

  @Test
  void givenProject_whenDescribedBeforeAndAfterTeardown_itShouldListWhatTheTeardownRemoves() {
    try (ProjectUnderTest doomed = new ProjectUnderTest(engine)) {
      bringUp(doomed);

      ProjectResources before = doomed.describe();
      TeardownResult result = doomed.teardown(true);
      ProjectResources after = doomed.describe();

      assertThat(before.containers()).containsExactlyInAnyOrderElementsOf(result.removedContainers());
      assertThat(before.networks()).containsExactlyInAnyOrderElementsOf(result.removedNetworks());
      assertThat(before.volumes()).containsExactly(doomed.name + "_data");
      assertThat(after).isEqualTo(new ProjectResources(List.of(), List.of(), List.of()));
      assertTheOtherProjectIsIntact();
    }
  }

  @Test
  void givenProject_whenTornDownWithVolumes_itShouldRemoveThemTooAndNothingOnASecondCall() {
    try (ProjectUnderTest doomed = new ProjectUnderTest(engine)) {
      bringUp(doomed);

      TeardownResult first = doomed.teardown(true);
      TeardownResult second = doomed.teardown(true);

      assertThat(first.removedContainers()).hasSize(2);
      assertThat(first.removedNetworks()).hasSize(2);
      assertThat(first.removedVolumes()).containsExactly(doomed.name + "_data");
      assertThat(second).isEqualTo(new TeardownResult(List.of(), List.of(), List.of()));
      assertThat(engine.volumes(doomed.label())).isEmpty();
      assertTheOtherProjectIsIntact();
    }
  }

  @Test
  void givenThingsNamedLikeTheProjectButNotLabelled_whenTornDown_itShouldLeaveThemAlone() {
    try (ProjectUnderTest doomed = new ProjectUnderTest(engine)) {
      String lookalike = doomed.containerName("manual");
      String containerId =
          engine
              .client()
              .createContainerCmd(AgentImage.NAME)
              .withName(lookalike)
              .withCmd(ExampleProject.HTTPD)
              .exec()
              .getId();
      String volume = doomed.name + "_manual";
      engine.client().createVolumeCmd().withName(volume).exec();
      try {
        TeardownResult result = doomed.teardown(true);

        assertThat(result.removedContainers()).isEmpty();
        assertThat(result.removedNetworks()).containsExactly(doomed.name + "_default");
        assertThat(result.removedVolumes()).isEmpty();
        assertThat(engine.container(lookalike)).isPresent();
        assertThat(engine.client().inspectVolumeCmd(volume).exec().getName()).isEqualTo(volume);
      } finally {
        engine.removeContainer(containerId, true);
        engine.removeVolume(volume);
      }
    }
  }

  /**
   * A healthy service with a named volume on two networks, and a dead one: all states to remove.
   */
  private static void bringUp(ProjectUnderTest project) {
    assertThat(
            project
                .start(
                    ServiceDraft.named("web")
                        .command(ExampleProject.HTTPD)
                        .volumes("data:/data")
                        .networks("default", "backend")
                        .healthcheck(ExampleProject.httpCheck())
                        .build())
                .health())
        .isEqualTo(ContainerHealth.HEALTHY);
    assertThat(
            project
                .start(ServiceDraft.named("dead").command("/bin/sh", "-c", "exit 3").build())
                .health())
        .isEqualTo(ContainerHealth.FAILED);
  }

  private void assertTheOtherProjectIsIntact() {
    assertThat(engine.containers(other.label()))
        .extracting(Container::getId)
        .containsExactlyInAnyOrder(otherContainerId, other.inspect("dead").getId());
    assertThat(other.inspect("web").getState().getRunning()).isTrue();
    assertThat(engine.networks(other.label()))
        .extracting(Network::getName)
        .containsExactlyInAnyOrder(other.name + "_default", other.name + "_backend");
    assertThat(engine.volumes(other.label()))
        .extracting(volume -> volume.getName())
        .containsExactly(other.name + "_data");
  }
}
