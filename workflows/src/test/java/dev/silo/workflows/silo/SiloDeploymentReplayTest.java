package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded history in {@code src/test/resources/histories} against the current
 * workflow code: a change that alters the commands an existing run issued fails here, and must go
 * behind {@code Workflow.getVersion}. {@link RecordHistoryTest} records the histories.
 */
class SiloDeploymentReplayTest {

  private static final Pattern PAYLOAD_DATA = Pattern.compile("\"data\": \"([A-Za-z0-9+/\\\\u]+)");
  private static final Pattern SECRET_FIELD = Pattern.compile(
      "\"(databasePassword|jwtSecret|serviceRoleKey|password|POSTGRES_PASSWORD|JWT_SECRET)\":\"([^\"]*)\"");

  @Test
  void givenHistoriesDirectory_whenListed_itShouldHoldTheRecordedDeploymentPaths() throws Exception {
    assertThat(histories().stream().map(history -> history.getFileName().toString()))
        .contains("silo-deployment-happy-path.json", "silo-deployment-fly-failure.json",
            "silo-deployment-branch-overwrite-desk-retry.json", "silo-deployment-netlify-failure-desk-retry.json",
            "silo-deployment-docker-queue-from-config.json", "silo-deployment-netlify-build-until-ready.json",
            "silo-deployment-deployed-every-change.json", "silo-deployment-fly-lost-create-reply.json",
            "silo-deployment-signed-decisions.json", "silo-deployment-migrations-by-hash.json",
            RecordHistoryTest.FOREIGN_WORKFLOW_ID_HISTORY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedHistories")
  void givenRecordedHistory_whenReplayedAgainstCurrentCode_itShouldIssueTheSameCommands(Path history)
      throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        WorkflowExecutionHistory.fromJson(Files.readString(history), workflowIdOf(history)),
        SiloDeploymentWorkflowImpl.class);
  }

  /**
   * Histories are committed with their payloads in plain JSON, so every secret in them must be one
   * of the fixture's fake values; a history recorded against real systems fails here.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedHistories")
  void givenRecordedHistory_whenScannedForSecrets_itShouldHoldOnlyFakeValues(Path history) throws IOException {
    List<String> secretValues = new ArrayList<>();
    Matcher payload = PAYLOAD_DATA.matcher(Files.readString(history));
    while (payload.find()) {
      String json = new String(Base64.getDecoder().decode(payload.group(1).replace("\\u003d", "=")),
          StandardCharsets.UTF_8);
      Matcher secret = SECRET_FIELD.matcher(json);
      while (secret.find()) {
        secretValues.add(secret.group(2));
      }
    }

    if (isTheRefusal(history)) {
      assertThat(secretValues).as("a run refused before any activity holds no secret").isEmpty();
    } else {
      assertThat(secretValues).isNotEmpty().isSubsetOf(SiloFixture.DATABASE_PASSWORD, SiloFixture.JWT_SECRET,
          SiloFixture.SERVICE_ROLE_KEY);
    }
  }

  /**
   * The workflow ID a history ran under: the silo's, except for the run refused for running under
   * another one, which must replay under that ID to take the same path.
   */
  private static String workflowIdOf(Path history) {
    return isTheRefusal(history) ? RecordHistoryTest.FOREIGN_WORKFLOW_ID : SiloFixture.WORKFLOW_ID;
  }

  private static boolean isTheRefusal(Path history) {
    return history.getFileName().toString().equals(RecordHistoryTest.FOREIGN_WORKFLOW_ID_HISTORY);
  }

  static Stream<Named<Path>> recordedHistories() throws IOException, URISyntaxException {
    return histories().stream().map(history -> Named.of(history.getFileName().toString(), history));
  }

  private static List<Path> histories() throws IOException, URISyntaxException {
    URL directory = SiloDeploymentReplayTest.class.getResource("/histories");
    assertThat(directory).as("src/test/resources/histories on the test class path").isNotNull();
    try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }
}
