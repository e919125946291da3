package dev.silo.workflows.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stages, approval verdicts and reading outcomes are enums in the code but keep the strings history,
 * the CLI and the Web UI have always read: a report recorded before reads back, and writes back the
 * same.
 */
class EnvironmentReportJsonTest {

  private static final Path DEPLOYMENT =
      Path.of("src", "test", "resources", "histories", "release", "release-expenses-v1.0.0-uat.json");

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void givenARecordedReport_whenRead_itShouldHoldTheStagesAndTheVerdictAsEnums() throws Exception {
    EnvironmentReport report = read(recordedResult());

    assertThat(report.approval().outcome()).isEqualTo(ApprovalVerdict.APPROVED);
    assertThat(report.steps()).extracting(StepResult::stage).containsSubsequence(Stage.PRE_FLIGHT,
        Stage.SCHEMA_DEPLOY, Stage.FUNCTION_DEPLOY, Stage.RLS_DEPLOY, Stage.HEALTH_CHECKS, Stage.WATCH);
  }

  @Test
  void givenARecordedReport_whenReadAndWrittenAgain_itShouldWriteItsStepsAndApprovalAsRecorded() throws Exception {
    String recorded = recordedResult();

    Payload written = DefaultDataConverter.STANDARD_INSTANCE.toPayload(read(recorded)).orElseThrow();

    JsonNode before = json.readTree(recorded);
    JsonNode after = json.readTree(written.getData().toStringUtf8());
    assertThat(after.get("steps")).isEqualTo(before.get("steps"));
    assertThat(after.get("approval")).isEqualTo(before.get("approval"));
  }

  @Test
  void givenAWatchReading_whenWrittenAndRead_itShouldKeepItsLowerCaseOutcome() throws Exception {
    PendingWatchDecision pending = new PendingWatchDecision("1 inconclusive reading", List.of("@qa-lead"),
        "2026-12-01T08:00:00Z", List.of(new WatchReading("2026-12-01T07:59:00Z", "error_rate > 1%",
            ReadingOutcome.INCONCLUSIVE, "the metrics source could not be read")));

    Payload written = DefaultDataConverter.STANDARD_INSTANCE.toPayload(pending).orElseThrow();

    assertThat(json.readTree(written.getData().toStringUtf8()).get("readings").get(0).get("outcome").asText())
        .isEqualTo("inconclusive");
    assertThat(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(written, PendingWatchDecision.class,
        PendingWatchDecision.class)).isEqualTo(pending);
  }

  private static EnvironmentReport read(String text) {
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8(text)).build(),
        EnvironmentReport.class, EnvironmentReport.class);
  }

  /** The deployment's result, as its recorded history holds it. */
  private String recordedResult() throws Exception {
    for (JsonNode event : json.readTree(Files.readString(DEPLOYMENT)).get("events")) {
      JsonNode completed = event.get("workflowExecutionCompletedEventAttributes");
      if (completed != null) {
        String data = completed.get("result").get("payloads").get(0).get("data").asText();
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("the deployment's history holds no result");
  }
}
