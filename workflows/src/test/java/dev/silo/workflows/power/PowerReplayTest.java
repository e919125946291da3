package dev.silo.workflows.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the recorded power runs in {@code src/test/resources/histories/power} against the current
 * code: a change to the commands the workflow issues must go behind {@code Workflow.getVersion}.
 * {@link SiloPowerWorkflowTest} records them with {@code -Dsilo.recordHistories=true}.
 */
class PowerReplayTest {

  /** Where the recording writes, relative to the module (surefire's working directory). */
  static final Path RECORDED = Path.of("src", "test", "resources", "histories", "power");

  @Test
  void givenHistoriesDirectory_whenListed_itShouldHoldEveryRecordedPath() throws Exception {
    assertThat(histories().stream().map(history -> history.getFileName().toString()))
        .containsExactly("silo-power-machine-will-not-stop.json", "silo-power-refused-never-deployed.json",
            "silo-power-start-after-stop.json", "silo-power-stop-again-unchanged.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedHistories")
  void givenRecordedHistory_whenReplayedAgainstCurrentCode_itShouldIssueTheSameCommands(Path history)
      throws Exception {
    WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(history),
        PoweredSilo.NAMES.powerWorkflowId()), SiloPowerWorkflowImpl.class);
  }

  static Stream<Named<Path>> recordedHistories() throws IOException, URISyntaxException {
    return histories().stream().map(history -> Named.of(history.getFileName().toString(), history));
  }

  private static List<Path> histories() throws IOException, URISyntaxException {
    URL directory = PowerReplayTest.class.getResource("/histories/power");
    assertThat(directory).as("src/test/resources/histories/power on the test class path").isNotNull();
    try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }
}
