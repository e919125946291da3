package dev.silo.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void givenAStatLineWhoseNameHoldsSpacesAndParentheses_itShouldAddUserAndSystemTicks() {
    String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 123 0 0";

    assertThat(ProcessCpu.parse(stat)).hasValue(3.25);
  }

  @Test
  void givenALineCutShort_itShouldSayNothing() {
    assertThat(ProcessCpu.parse("4242 (java) S 1 2 3")).isEmpty();
    assertThat(ProcessCpu.parse("garbage")).isEmpty();
  }

  @Test
  void givenThisProcess_itShouldReadItsOwnTimeWhereProcExists() {
    if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/stat"))) {
      assertThat(ProcessCpu.seconds(ProcessHandle.current().pid())).isPresent();
    }
  }
}
