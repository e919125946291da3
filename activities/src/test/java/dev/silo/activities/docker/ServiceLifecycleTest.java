package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.Healthcheck;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.DockerActivities;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One service at a time through the states a container can be in: healthy or not, dead, changed,
 * stopped, missing its image, or squatted by a container that is not ours. Each test uses services
 * of its own in one shared project.
 */
@ExtendWith(ContainerEngineTestSupport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLifecycleTest {

  private ProjectUnderTest project;

  @BeforeAll
  void createTheProject(DockerEngine engine) {
    project = new ProjectUnderTest(engine);
  }

  @AfterAll
  void removeTheProject() {
    if (project != null) {
      project.close();
    }
  }

  @Test
  void givenHealthcheckThatAlwaysFails_whenStarted_itShouldReportUnhealthyWithTheLastProbeOutput() {
    ComposeService sick =
        ServiceDraft.named("sick")
            .command(ExampleProject.HTTPD)
            .healthcheck(
                new Healthcheck(
                    List.of("CMD-SHELL", "echo database is not ready; exit 1"),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(2),
                    3,
                    Duration.ZERO))
            .build();

    ContainerResult result = project.start(sick);

    assertThat(result.health()).isEqualTo(ContainerHealth.UNHEALTHY);
    assertThat(result.containerName()).isEqualTo(project.containerName("sick"));
    assertThat(result.message())
        .contains("failed 3 times in a row")
        .contains("exit code 1")
        .contains("database is not ready");
    assertThat(project.inspect("sick").getState().getRunning()).isTrue();
  }

  @Test
  void givenFailuresDuringTheStartPeriod_whenStarted_itShouldNotCountThemAndReportHealthy() {
    // The probe fails until /tmp/ready exists, which the command creates after 2 s: with one retry
    // and no start period that would be unhealthy; a 5 s start period absorbs it.
    ComposeService slowStarter =
        ServiceDraft.named("slow-starter")
            .command(
                "/bin/sh", "-c", "sleep 2; touch /tmp/ready; exec /bin/httpd -f -p 8080 -h /www")
            .healthcheck(
                new Healthcheck(
                    List.of("CMD", "/bin/test", "-e", "/tmp/ready"),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(2),
                    1,
                    Duration.ofSeconds(5)))
            .build();

    assertThat(project.start(slowStarter).health()).isEqualTo(ContainerHealth.HEALTHY);
  }

  @Test
  void givenProbingThatOutlastsTheHeartbeatTimeout_whenStarted_itShouldHeartbeatWhileProbing() {
    // Temporal sends heartbeats at most every 80% of the timeout: with 2 s, the listener sees the
    // probes' heartbeats of a 4 s watch, and a watch that did not heartbeat would time out.
    DockerActivities impatient =
        project.environment.newActivityStub(
            DockerActivities.class,
            ActivityOptions.newBuilder(ProjectUnderTest.OPTIONS)
                .setHeartbeatTimeout(Duration.ofSeconds(2))
                .build());
    project.heartbeats.clear();
    ComposeService slow =
        ServiceDraft.named("slow")
            .command(ExampleProject.HTTPD)
            .healthcheck(
                new Healthcheck(
                    List.of("CMD-SHELL", "sleep 1; exit 1"),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5),
                    2,
                    Duration.ZERO))
            .build();

    ContainerResult result = project.start(impatient, slow);

    assertThat(result.health()).isEqualTo(ContainerHealth.UNHEALTHY);
    assertThat(project.heartbeats).anyMatch(details -> details.startsWith("health probe"));
  }

  @Test
  void givenServiceThatDiesUnderARestartPolicy_whenStarted_itShouldReportItFailed() {
    ComposeService crashLoop =
        ServiceDraft.named("crash-loop")
            .command("/bin/sh", "-c", "echo crashing; exit 2")
            .restart("unless-stopped")
            .build();

    ContainerResult result = project.start(crashLoop);
    // Podman restarts it without backoff; it has made its point.
    project.removeRestarting("crash-loop");

    assertThat(result.health()).isEqualTo(ContainerHealth.FAILED);
    assertThat(result.message())
        .containsAnyOf("was restarted", "exited with code 2")
        .contains("crashing");
  }

  @Test
  void givenCommandThatDoesNotExist_whenStarted_itShouldReportItFailed() {
    ContainerResult result =
        project.start(ServiceDraft.named("typo").command("/bin/httpdd", "-f").build());

    assertThat(result.health()).isEqualTo(ContainerHealth.FAILED);
    assertThat(result.message()).contains("/bin/httpdd");
  }

  @Test
  void givenChangedService_whenStartedAgain_itShouldRecreateItsContainer() {
    ServiceDraft draft =
        ServiceDraft.named("changing")
            .command(ExampleProject.HTTPD)
            .environment("VERSION", "1")
            .healthcheck(ExampleProject.httpCheck());
    project.start(draft.build());
    String firstId = project.inspect("changing").getId();
    ComposeService changed = draft.environment("VERSION", "2").build();

    ContainerResult result = project.start(changed);

    InspectContainerResponse recreated = project.inspect("changing");
    assertThat(result.health()).isEqualTo(ContainerHealth.HEALTHY);
    assertThat(recreated.getId()).isNotEqualTo(firstId);
    assertThat(recreated.getConfig().getEnv()).contains("VERSION=2");
    assertThat(recreated.getConfig().getLabels())
        .containsEntry("com.docker.compose.config-hash", ConfigHash.of(changed));
    assertThat(project.engine.container(firstId)).isEmpty();
  }

  @Test
  void givenStoppedContainer_whenStartedAgain_itShouldStartTheSameContainer() {
    ComposeService service =
        ServiceDraft.named("stopped")
            .command(ExampleProject.HTTPD)
            .healthcheck(ExampleProject.httpCheck())
            .build();
    project.start(service);
    String id = project.inspect("stopped").getId();
    project.engine.stop(id, Duration.ofSeconds(1));
    assertThat(project.inspect("stopped").getState().getRunning()).isFalse();

    ContainerResult result = project.start(service);

    assertThat(result.health()).isEqualTo(ContainerHealth.HEALTHY);
    assertThat(project.inspect("stopped").getId()).isEqualTo(id);
    assertThat(project.inspect("stopped").getState().getRunning()).isTrue();
  }

  @Test
  void givenImageThatIsNowhere_whenStarted_itShouldReportThePullFailureAndCreateNothing() {
    ComposeService missing =
        ServiceDraft.named("missing")
            .image("localhost/does-not-exist:1")
            .command(ExampleProject.HTTPD)
            .build();

    ContainerResult result = project.start(missing);

    assertThat(result.health()).isEqualTo(ContainerHealth.FAILED);
    assertThat(result.containerName()).isNull();
    assertThat(result.message())
        .startsWith("image localhost/does-not-exist:1 could not be pulled: ");
    assertThat(project.engine.container(project.containerName("missing"))).isEmpty();
  }

  @Test
  void givenContainerOfThatNameFromElsewhere_whenStarted_itShouldLeaveItAlone() {
    String squatter = project.containerName("squatted");
    String id =
        project
            .engine
            .client()
            .createContainerCmd(AgentImage.NAME)
            .withName(squatter)
            .withCmd(ExampleProject.HTTPD)
            .exec()
            .getId();
    try {
      ContainerResult result =
          project.start(ServiceDraft.named("squatted").command(ExampleProject.HTTPD).build());

      assertThat(result.health()).isEqualTo(ContainerHealth.FAILED);
      assertThat(result.containerName()).isNull();
      assertThat(result.message()).contains("is not service squatted of project " + project.name);
      assertThat(project.engine.container(squatter).orElseThrow().getId()).isEqualTo(id);
    } finally {
      project.engine.removeContainer(id, true);
    }
  }

  @Test
  void givenServicesOnTheirOwnNetworks_whenStarted_itShouldJoinEachUnderTheServiceName() {
    ComposeService gateway =
        ServiceDraft.named("gateway")
            .command(ExampleProject.HTTPD)
            .networks("default", "backend")
            .healthcheck(ExampleProject.httpCheck())
            .build();
    ComposeService backendOnly =
        ServiceDraft.named("backend-only")
            .command("/bin/sleep", "3600")
            .networks("backend")
            .build();
    ComposeService defaultOnly =
        ServiceDraft.named("default-only").command(ExampleProject.HTTPD).build();

    assertThat(project.start(gateway).health()).isEqualTo(ContainerHealth.HEALTHY);
    assertThat(project.start(backendOnly).health()).isEqualTo(ContainerHealth.RUNNING);
    assertThat(project.start(defaultOnly).health()).isEqualTo(ContainerHealth.RUNNING);

    assertThat(project.inspect("gateway").getNetworkSettings().getNetworks())
        .containsOnlyKeys(project.name + "_default", project.name + "_backend");
    assertThat(project.inspect("backend-only").getNetworkSettings().getNetworks())
        .containsOnlyKeys(project.name + "_backend");
    assertThat(project.engine.network(project.name + "_backend").orElseThrow().getLabels())
        .containsEntry("com.docker.compose.project", project.name)
        .containsEntry("com.docker.compose.network", "backend");
    assertThat(project.fetch("backend-only", "http://gateway:8080/").exitCode()).isZero();
    assertThat(project.fetch("backend-only", "http://default-only:8080/").exitCode())
        .as("default-only is not on the backend network")
        .isNotZero();
  }
}
