package dev.silo.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

  /** A diamond with a tail, shaped like the runbook: a, then b and c side by side, then d, then e. */
  private static final List<String> ORDER = List.of("a", "b", "c", "d", "e");
  private static final Map<String, List<String>> NEEDS = Map.of(
      "b", List.of("a"), "c", List.of("a"), "d", List.of("b", "c"), "e", List.of("a", "b", "c", "d"));

  @Test
  void givenTheSlowerBranch_itShouldGoThroughIt() {
    CriticalPath<String> path = CriticalPath.of(ORDER, Map.of("a", 1.0, "b", 5.0, "c", 2.0, "d", 3.0, "e", 1.0),
        NEEDS);

    assertThat(path.length()).isEqualTo(10.0);
    assertThat(path.nodes()).containsExactly("a", "b", "d", "e");
  }

  @Test
  void givenTheOtherBranchSlower_itShouldSwitch() {
    CriticalPath<String> path = CriticalPath.of(ORDER, Map.of("a", 1.0, "b", 2.0, "c", 6.0, "d", 3.0, "e", 1.0),
        NEEDS);

    assertThat(path.length()).isEqualTo(11.0);
    assertThat(path.nodes()).containsExactly("a", "c", "d", "e");
  }

  @Test
  void givenANodeWithoutWork_itShouldWeighNothing() {
    CriticalPath<String> path = CriticalPath.of(ORDER, Map.of("a", 1.0, "b", 2.0, "e", 4.0), NEEDS);

    assertThat(path.length()).isEqualTo(7.0);
    assertThat(path.nodes()).startsWith("a", "b").endsWith("e");
  }

  @Test
  void givenIndependentNodes_itShouldBeTheLongestAlone() {
    CriticalPath<String> path = CriticalPath.of(List.of("x", "y"), Map.of("x", 3.0, "y", 4.0), Map.of());

    assertThat(path.length()).isEqualTo(4.0);
    assertThat(path.nodes()).containsExactly("y");
  }

  @Test
  void givenANeedListedAfterItsNode_itShouldRefuse() {
    assertThatThrownBy(() -> CriticalPath.of(List.of("b", "a"), Map.of(), Map.of("b", List.of("a"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b needs a");
  }
}
