package dev.silo.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void givenTwentyValues_itShouldTakeTheNearestRankPercentiles() {
    List<Double> values = new ArrayList<>();
    for (int i = 20; i >= 1; i--) {
      values.add((double) i);
    }

    Spread spread = Spread.of(values);

    assertThat(spread).isEqualTo(new Spread(20, 1, 10, 19, 20));
  }

  @Test
  void givenOneValue_everyFigureShouldBeIt() {
    assertThat(Spread.of(List.of(7.5))).isEqualTo(new Spread(1, 7.5, 7.5, 7.5, 7.5));
  }

  @Test
  void givenNoValue_itShouldSayNoneWithZeros() {
    assertThat(Spread.of(List.of())).isEqualTo(new Spread(0, 0, 0, 0, 0));
  }
}
