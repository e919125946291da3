package dev.silo.starter.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter.ApprovalTimeout();

  @ParameterizedTest
  @CsvSource({"90s,PT1M30S", "30m,PT30M", "24h,PT24H", "2d,PT48H", "1h30m,PT1H30M", "PT24H,PT24H", "pt10m,PT10M",
      "P1D,PT24H", "1m,PT1M", "60s,PT1M", "30d,PT720H", "720h,PT720H", "P30D,PT720H"})
  void givenWhatPeopleType_itReadsTheDuration(String typed, String expected) {
    assertThat(converter.convert(typed)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "24", "h", "5x", "1.5h", "-1h", "0m", "PT0S", "-PT1H"})
  void givenSomethingElse_itRefusesIt(String typed) {
    assertThatThrownBy(() -> converter.convert(typed)).isInstanceOf(TypeConversionException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"59s", "30d1s", "31d", "721h", "99999999d", "999999999999d", "9999999999999999999999d",
      "P99999999D", "PT9999999999999999H", "P999999999999999D"})
  void givenADurationOutsideTheApprovalTimeoutsRange_itRefusesItNamingTheRange(String typed) {
    assertThatThrownBy(() -> converter.convert(typed)).isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + typed + "' is out of range: it must be from 1m to 720h");
  }
}
