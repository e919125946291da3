package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.config.Healthcheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthWatchTest {

  private static Healthcheck test(String... test) {
    return new Healthcheck(List.of(test), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, null);
  }

  @Test
  void givenCmdTest_whenProbing_itShouldRunItsArgumentsAsTheyAre() {
    assertThat(HealthWatch.probe(test("CMD", "pg_isready", "-U", "postgres")))
        .containsExactly("pg_isready", "-U", "postgres");
  }

  @Test
  void givenCmdShellTest_whenProbing_itShouldRunItThroughBinSh() {
    assertThat(HealthWatch.probe(test("CMD-SHELL", "wget -q http://localhost:5000/ || exit 1")))
        .containsExactly("/bin/sh", "-c", "wget -q http://localhost:5000/ || exit 1");
  }

  @Test
  void givenNoHealthcheckOrNothingToRun_whenProbing_itShouldHaveNoProbe() {
    assertThat(HealthWatch.probe(null)).isEmpty();
    assertThat(HealthWatch.probe(test("NONE"))).isEmpty();
    assertThat(HealthWatch.probe(test("CMD"))).isEmpty();
  }
}
