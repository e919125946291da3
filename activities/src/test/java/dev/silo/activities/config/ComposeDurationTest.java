package dev.silo.activities.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ComposeDurationTest {

  @ParameterizedTest
  @CsvSource({
    "10s, PT10S",
    "1m30s, PT1M30S",
    "500ms, PT0.5S",
    "1h, PT1H",
    "1.5s, PT1.5S",
    "2h45m, PT2H45M",
    "250us, PT0.00025S",
    "0, PT0S"
  })
  void givenAComposeDuration_whenParsed_itShouldGiveItsLength(String text, Duration expected) {
    assertThat(ComposeDuration.parse(text)).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "10 s", "-5s", "1d", "1m30", "ms10"})
  void givenTextThatIsNoDuration_whenParsed_itShouldGiveNothing(String text) {
    assertThat(ComposeDuration.parse(text)).isEmpty();
  }
}
