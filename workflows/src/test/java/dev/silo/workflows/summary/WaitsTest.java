package dev.silo.workflows.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitsTest {

  @Test
  void givenDurations_whenWritten_itShouldUseTheLargestWholeUnitUpToHours() {
    assertThat(Waits.words(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(Waits.words(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Waits.words(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThat(Waits.words(Duration.ofHours(72))).isEqualTo("72h");
    assertThat(Waits.words(Duration.ZERO)).isEqualTo("0s");
  }
}
