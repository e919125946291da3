package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.config.ComposeService;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigHashTest {

  private static ServiceDraft auth() {
    return ServiceDraft.named("auth")
        .command(ExampleProject.HTTPD)
        .environment("A", "1")
        .environment("B", "2")
        .healthcheck(ExampleProject.httpCheck());
  }

  @Test
  void givenSameService_whenHashed_itShouldGiveTheSameSha256Hex() {
    assertThat(ConfigHash.of(auth().build()))
        .isEqualTo(ConfigHash.of(auth().build()))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void givenSameEnvironmentInAnotherOrder_whenHashed_itShouldGiveTheSameHash() {
    ComposeService reordered =
        ServiceDraft.named("auth")
            .command(ExampleProject.HTTPD)
            .environment("B", "2")
            .environment("A", "1")
            .healthcheck(ExampleProject.httpCheck())
            .build();

    assertThat(ConfigHash.of(reordered)).isEqualTo(ConfigHash.of(auth().build()));
  }

  @Test
  void givenAnyChangedKey_whenHashed_itShouldGiveAnotherHash() {
    String original = ConfigHash.of(auth().build());
    var healthcheck = ExampleProject.httpCheck();

    assertThat(ConfigHash.of(auth().environment("A", "3").build())).isNotEqualTo(original);
    assertThat(ConfigHash.of(auth().command("/bin/sleep", "1").build())).isNotEqualTo(original);
    assertThat(ConfigHash.of(auth().dependsOn("postgres", "service_healthy").build()))
        .isNotEqualTo(original);
    assertThat(
            ConfigHash.of(
                auth()
                    .healthcheck(
                        new dev.silo.workflows.config.Healthcheck(
                            healthcheck.test(),
                            Duration.ofSeconds(2),
                            healthcheck.timeout(),
                            healthcheck.retries(),
                            healthcheck.startPeriod()))
                    .build()))
        .isNotEqualTo(original);
  }
}
