package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerState;
import dev.silo.workflows.docker.InspectProjectRequest;
import dev.silo.workflows.docker.ProjectContainers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The drift check's read of a project on the real engine: what runs, what was stopped by hand. */
@ExtendWith(ContainerEngineTestSupport.class)
class InspectProjectTest {

  @Test
  void givenARunningService_whenItIsStoppedByHand_theInspectionShouldShowItStopped(DockerEngine engine) {
    try (ProjectUnderTest project = new ProjectUnderTest(engine)) {
      assertThat(project.start(ServiceDraft.named("web").command(ExampleProject.HTTPD)
          .healthcheck(ExampleProject.httpCheck()).build()).health()).isEqualTo(ContainerHealth.HEALTHY);

      ProjectContainers running = project.docker.inspectProject(new InspectProjectRequest(project.name));
      assertThat(running.containers()).singleElement().satisfies(container -> {
        assertThat(container.service()).isEqualTo("web");
        assertThat(container.containerName()).isEqualTo(project.containerName("web"));
        assertThat(container.running()).isTrue();
        assertThat(container.state()).isEqualTo("running");
      });

      engine.stop(project.inspect("web").getId(), Duration.ofSeconds(1));
      ProjectContainers stopped = project.docker.inspectProject(new InspectProjectRequest(project.name));

      assertThat(stopped.containers()).extracting(ContainerState::running).containsExactly(false);
      assertThat(stopped.containers()).extracting(ContainerState::state).doesNotContain("running");
    }
  }

  @Test
  void givenNoProject_whenInspected_itShouldFindNoContainer(DockerEngine engine) {
    try (ProjectUnderTest project = new ProjectUnderTest(engine)) {
      assertThat(project.docker.inspectProject(new InspectProjectRequest(project.name + "-absent")).containers())
          .isEmpty();
    }
  }
}
