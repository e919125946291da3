package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ComposeService;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ComposeProjectTest {

  private final ComposeProject project = new ComposeProject("silo-acme-crm");

  @Test
  void givenProject_whenNamingItsResources_itShouldNameThemAsComposeV2() {
    assertThat(project.containerName("rest-api")).isEqualTo("silo-acme-crm-rest-api-1");
    assertThat(project.networkName("default")).isEqualTo("silo-acme-crm_default");
    assertThat(project.volumeName("db-data")).isEqualTo("silo-acme-crm_db-data");
    assertThat(project.labelFilter()).isEqualTo("com.docker.compose.project=silo-acme-crm");
  }

  @Test
  void givenServiceWithDependenciesAndLabels_whenLabelling_itShouldAddComposeLabelsOverItsOwn() {
    ComposeService service =
        ServiceDraft.named("storage")
            .dependsOn("rest-api", "service_started")
            .dependsOn("postgres", "service_healthy")
            .label("dev.silo.client", "acme")
            .label("com.docker.compose.project", "someone-else")
            .build();

    assertThat(project.containerLabels(service, "abc123", "sha256:42"))
        .containsOnly(
            entry("dev.silo.client", "acme"),
            entry("com.docker.compose.project", "silo-acme-crm"),
            entry("com.docker.compose.service", "storage"),
            entry("com.docker.compose.container-number", "1"),
            entry("com.docker.compose.oneoff", "False"),
            entry("com.docker.compose.config-hash", "abc123"),
            entry("com.docker.compose.version", ComposeProject.COMPOSE_VERSION),
            entry(
                "com.docker.compose.depends_on",
                "postgres:service_healthy:false,rest-api:service_started:false"),
            entry("com.docker.compose.image", "sha256:42"));
  }

  @Test
  void givenContainerLabels_whenAskedWhetherItOwnsThem_itShouldRequireProjectServiceAndNotOneOff() {
    ComposeService service = ServiceDraft.named("auth").build();
    var labels = project.containerLabels(service, "hash", "sha256:1");

    assertThat(project.owns(labels, "auth")).isTrue();
    assertThat(project.owns(labels, "kong")).isFalse();
    assertThat(new ComposeProject("silo-acme-erp").owns(labels, "auth")).isFalse();
    assertThat(project.owns(null, "auth")).isFalse();
  }

  @Test
  void givenNetworkAndVolume_whenLabelling_itShouldLabelThemAsCompose() {
    assertThat(project.networkLabels("default"))
        .containsOnly(
            entry("com.docker.compose.project", "silo-acme-crm"),
            entry("com.docker.compose.network", "default"),
            entry("com.docker.compose.version", ComposeProject.COMPOSE_VERSION));
    assertThat(project.volumeLabels("db-data"))
        .containsOnly(
            entry("com.docker.compose.project", "silo-acme-crm"),
            entry("com.docker.compose.volume", "db-data"),
            entry("com.docker.compose.version", ComposeProject.COMPOSE_VERSION));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "Silo-Acme", "silo acme", "-silo", "silo/acme"})
  void givenNameThatIsNotAComposeProjectName_whenCreated_itShouldRefuseItWithoutRetry(String name) {
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> new ComposeProject(name));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }
}
