package dev.silo.workflows.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.lock.EnvironmentLockWorkflowImpl;
import dev.silo.workflows.signing.SignatureSelfTest;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the recorded release histories in {@code src/test/resources/histories/release} against
 * the current workflow code: a change that alters the commands an existing run issued fails here,
 * and must go behind {@code Workflow.getVersion}. {@link RecordReleaseHistoryTest} records them.
 */
class ReleaseReplayTest {

  /**
   * Loads the signature verifier's classes before any replay: a replayed history with a signed
   * start verifies it in the workflow thread, and the first load from signed jars can outlast the
   * SDK's one-second deadlock watch on a busy machine.
   */
  @BeforeAll
  static void loadTheVerifier() {
    SignatureSelfTest.run();
  }

  @Test
  void givenTheHistoriesDirectory_whenListed_itShouldHoldAPromotionItsDeploymentALockAndARollback() throws Exception {
    assertThat(histories().stream().map(history -> history.getFileName().toString())).contains(
        "release-expenses-v1.0.0.json", "release-expenses-v1.0.0-uat.json", "release-lock-expenses-uat.json",
        "release-expenses-v1.0.1-dev.json", "release-expenses-v1.2.0-dev.json", "release-expenses-v1.2.1-dev.json",
        "release-expenses-v1.3.0.json", "release-expenses-v1.3.0-uat.json",
        "release-expenses-v1.4.0-out-of-range-durations-dev.json",
        "release-expenses-v1.5.0-files-read-by-activity-dev.json",
        "release-expenses-v1.6.0-await-timer-summaries-uat.json", "release-expenses-v1.7.0-resumed.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedHistories")
  void givenARecordedHistory_whenReplayedAgainstTheCurrentCode_itShouldIssueTheSameCommands(Path history)
      throws Exception {
    String workflowId = history.getFileName().toString().replaceFirst("\\.json$", "");
    WorkflowReplayer.replayWorkflowExecution(
        WorkflowExecutionHistory.fromJson(Files.readString(history), workflowId),
        ReleasePipelineWorkflowImpl.class, EnvironmentDeploymentWorkflowImpl.class, EnvironmentLockWorkflowImpl.class);
  }

  static Stream<Named<Path>> recordedHistories() throws IOException, URISyntaxException {
    return histories().stream().map(history -> Named.of(history.getFileName().toString(), history));
  }

  private static List<Path> histories() throws IOException, URISyntaxException {
    URL directory = ReleaseReplayTest.class.getResource("/histories/release");
    assertThat(directory).as("src/test/resources/histories/release on the test class path").isNotNull();
    try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }
}
