package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.signing.SignatureSelfTest;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded history in {@code src/test/resources/histories} against the current
 * workflow code: a change that alters the commands an existing run issued fails here, and must go
 * behind {@code Workflow.getVersion}. {@link RecordHistoryTest} records the histories.
 */
class SiloDeploymentReplayTest {

  /**
   * Loads the signature verifier's classes before any replay: a replayed history with a signed
   * start verifies it in the workflow thread, and the first load from signed jars can outlast the
   * SDK's one-second deadlock watch on a busy machine.
   */
  @BeforeAll
  static void loadTheVerifier() {
    SignatureSelfTest.run();
  }

  private static final Pattern PAYLOAD_DATA = Pattern.compile("\"data\": \"([A-Za-z0-9+/\\\\u]+)");
  private static final Pattern SECRET_FIELD = Pattern.compile(
      "\"(databasePassword|jwtSecret|serviceRoleKey|password|POSTGRES_PASSWORD|JWT_SECRET)\":\"([^\"]*)\"");

  /** The runs refused before any activity, with the workflow ID each ran under. */
  private static final Map<String, String> REFUSALS = Map.of(
      RecordHistoryTest.FOREIGN_WORKFLOW_ID_HISTORY, RecordHistoryTest.FOREIGN_WORKFLOW_ID,
      RecordHistoryTest.HYPHENATED_CLIENT_HISTORY, RecordHistoryTest.HYPHENATED_CLIENT_WORKFLOW_ID,
      RecordHistoryTest.OUT_OF_RANGE_TIMEOUT_HISTORY, SiloFixture.WORKFLOW_ID);

  @Test
  void givenHistoriesDirectory_whenListed_itShouldHoldTheRecordedDeploymentPaths() throws Exception {
    assertThat(histories().stream().map(history -> history.getFileName().toString()))
        .contains("silo-deployment-happy-path.json", "silo-deployment-fly-failure.json",
            "silo-deployment-branch-overwrite-desk-retry.json", "silo-deployment-netlify-failure-desk-retry.json",
            "silo-deployment-docker-queue-from-config.json", "silo-deployment-netlify-build-until-ready.json",
            "silo-deployment-deployed-every-change.json", "silo-deployment-fly-lost-create-reply.json",
            "silo-deployment-signed-decisions.json", "silo-deployment-secrets-by-reference.json",
            "silo-deployment-migrations-by-hash.json",
            RecordHistoryTest.SIDE_BY_SIDE_DEPLOYED_HISTORY, RecordHistoryTest.AWAIT_TIMER_SUMMARIES_HISTORY, RecordHistoryTest.PUSH_RUNS_TO_ITS_END_HISTORY,
            RecordHistoryTest.SIDE_BY_SIDE_FLY_FAILURE_HISTORY,
            RecordHistoryTest.SIDE_BY_SIDE_NETLIFY_FAILURE_HISTORY,
            RecordHistoryTest.READS_AND_DESK_WRITES_SIDE_BY_SIDE_HISTORY, RecordHistoryTest.TRUST_READ_LOCALLY_HISTORY,
            RecordHistoryTest.FOREIGN_WORKFLOW_ID_HISTORY, RecordHistoryTest.HYPHENATED_CLIENT_HISTORY,
            RecordHistoryTest.OUT_OF_RANGE_TIMEOUT_HISTORY, RecordHistoryTest.SUBMIT_THEN_AWAIT_DEPLOYED_HISTORY,
            RecordHistoryTest.SUBMIT_THEN_AWAIT_FLY_FAILURE_HISTORY, RecordHistoryTest.GUIDED_FAILURE_RETRY_HISTORY);
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
   * of the fixture's fake values; a history recorded against real systems fails here. Runs that
   * pass secrets by reference ({@link FlyStep#SECRETS_BY_REFERENCE}) hold none at all.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedHistories")
  void givenRecordedHistory_whenScannedForSecrets_itShouldHoldOnlyFakeValues(Path history) throws IOException {
    List<String> secretValues = new ArrayList<>();
    List<String> fakeValuesAnywhere = new ArrayList<>();
    boolean byReference = false;
    Matcher payload = PAYLOAD_DATA.matcher(Files.readString(history));
    while (payload.find()) {
      String json = new String(Base64.getDecoder().decode(payload.group(1).replace("\\u003d", "=")),
          StandardCharsets.UTF_8);
      byReference |= json.equals("\"" + FlyStep.SECRETS_BY_REFERENCE + "\"");
      for (String fake : List.of(SiloFixture.DATABASE_PASSWORD, SiloFixture.JWT_SECRET, SiloFixture.SERVICE_ROLE_KEY)) {
        if (json.contains(fake)) {
          fakeValuesAnywhere.add(fake);
        }
      }
      Matcher secret = SECRET_FIELD.matcher(json);
      while (secret.find()) {
        secretValues.add(secret.group(2));
      }
    }

    if (isTheRefusal(history)) {
      assertThat(secretValues).as("a run refused before any activity holds no secret").isEmpty();
    } else if (byReference) {
      assertThat(secretValues).as("a run passing its secrets by reference holds no secret").isEmpty();
      assertThat(fakeValuesAnywhere).as("a run passing its secrets by reference holds no secret value").isEmpty();
    } else {
      assertThat(secretValues).isNotEmpty().isSubsetOf(SiloFixture.DATABASE_PASSWORD, SiloFixture.JWT_SECRET,
          SiloFixture.SERVICE_ROLE_KEY);
    }
  }

  /**
   * The workflow ID a history ran under: the silo's, except for the runs refused for running under
   * another one or for another silo, which must replay under theirs to take the same path.
   */
  static String workflowIdOf(Path history) {
    return REFUSALS.getOrDefault(history.getFileName().toString(), SiloFixture.WORKFLOW_ID);
  }

  private static boolean isTheRefusal(Path history) {
    return REFUSALS.containsKey(history.getFileName().toString());
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
