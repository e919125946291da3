package dev.silo.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetlifyRefillTest {

  @Test
  void givenTheDefaultRate_itShouldWaitTheShareOfAMinuteTheCallsUsed() {
    assertThat(BenchCommand.netlifyRefill(250, Map.of())).isEqualTo(Duration.ofSeconds(30));
    assertThat(BenchCommand.netlifyRefill(0, Map.of())).isZero();
  }

  @Test
  void givenMoreCallsThanAMinuteAllows_itShouldWaitAMinuteAtMost() {
    assertThat(BenchCommand.netlifyRefill(5_000, Map.of())).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void givenTheWorkersRateInTheEnvironment_itShouldUseIt() {
    assertThat(BenchCommand.netlifyRefill(100, Map.of("SILO_NETLIFY_RATE_PER_MINUTE", "6000")))
        .isEqualTo(Duration.ofSeconds(1));
  }
}
