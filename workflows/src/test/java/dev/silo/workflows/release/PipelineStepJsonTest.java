package dev.silo.workflows.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pipeline step crosses history as JSON: runs recorded while a step was one flat record of every
 * parameter must still read back as the step of their kind, and a step written now must read back
 * as itself.
 */
class PipelineStepJsonTest {

  private static final Path PROMOTION =
      Path.of("src", "test", "resources", "histories", "release", "release-expenses-v1.0.0.json");

  @Test
  void givenAPromotionRecordedWithFlatSteps_whenItsPreparedReleaseIsRead_itShouldHoldOneRecordPerKind()
      throws Exception {
    ReleasePipeline pipeline = recordedPreparedRelease().definition().pipeline();

    assertThat(pipeline.preFlight()).containsExactly(
        new PipelineStep.Command("Tests pass", null, true, "./run-tests"),
        new PipelineStep.Command("Lint is clean", null, false, "./lint"));
    assertThat(pipeline.schemaDeploy()).containsExactly(
        new PipelineStep.Migrate("Apply migrations", null, false, null),
        new PipelineStep.Sql("Verify schema", null, true, null, "select count(*) from expenses"));
    assertThat(pipeline.functionDeploy()).containsExactly(
        new PipelineStep.Sql("Deploy stored procedures", null, true, "functions/submit_expense.sql", null));
    assertThat(pipeline.rlsDeploy()).containsExactly(new PipelineStep.RlsTest("Test with employee role", null, false,
        "employee", Map.of("sub", "carol"), "select id from expenses", 2, false));
    assertThat(pipeline.healthChecks()).containsExactly(
        new PipelineStep.Endpoint("Database connectivity", Duration.ofSeconds(5), false, "/health/db", 200));
    assertThat(pipeline.rollback().steps()).containsExactly(
        new PipelineStep.Restore("Restore from backup", null, false),
        new PipelineStep.Notify("Notify on-call", null, false, "SLACK_URL", "Rollback triggered: $REASON"),
        new PipelineStep.Incident("Create incident", null, false, "INCIDENT_URL", null));
  }

  @Test
  void givenEveryKindOfStep_whenWrittenAndReadThroughTheDataConverter_itShouldReadBackAsItself() {
    List<PipelineStep> steps = List.of(
        new PipelineStep.Command("Tests pass", Duration.ofMinutes(3), true, "./run-tests"),
        new PipelineStep.Endpoint("Health", Duration.ofSeconds(5), false, "/health", 204),
        new PipelineStep.Backup("Backup", null, true),
        new PipelineStep.Restore("Restore", null, false),
        new PipelineStep.Migrate("Migrate", null, false, "db/migrations"),
        new PipelineStep.Sql("Functions", null, true, "functions.sql", null),
        new PipelineStep.RlsTest("Employees", null, false, "employee", Map.of("sub", "carol"), "select 1", null, true),
        new PipelineStep.Notify("Notify", null, false, "SLACK_URL", "hello"),
        new PipelineStep.Incident("Incident", null, false, "INCIDENT_URL", null));
    ReleasePipeline pipeline = new ReleasePipeline("expenses", steps, List.of(), List.of(), List.of(), List.of(),
        new RollbackPlan(List.of(), List.of()));

    Optional<Payload> payload = DefaultDataConverter.STANDARD_INSTANCE.toPayload(pipeline);
    ReleasePipeline read = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
        payload.orElseThrow(), ReleasePipeline.class, ReleasePipeline.class);

    assertThat(read.preFlight()).containsExactlyElementsOf(steps);
  }

  @Test
  void givenACommandStep_whenWritten_itShouldHoldItsKindAndOnlyItsOwnParameters() throws Exception {
    ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper();

    JsonNode written = json.readTree(json.writeValueAsString(
        new PipelineStep.Command("Tests pass", null, true, "./run-tests")));

    assertThat(written.get("kind").asText()).isEqualTo("COMMAND");
    assertThat(written.fieldNames()).toIterable()
        .containsExactlyInAnyOrder("kind", "name", "timeout", "blocking", "command");
  }

  /** The result of the promotion's {@code prepare} activity, as the history holds it. */
  private static PreparedRelease recordedPreparedRelease() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode history = json.readTree(Files.readString(PROMOTION));
    for (JsonNode event : history.get("events")) {
      JsonNode completed = event.get("activityTaskCompletedEventAttributes");
      if (completed == null || !completed.has("result")) {
        continue;
      }
      String data = completed.get("result").get("payloads").get(0).get("data").asText();
      String text = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
      if (text.contains("\"definition\"") && text.contains("\"preFlight\"")) {
        Payload payload = Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8(text))
            .build();
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, PreparedRelease.class,
            PreparedRelease.class);
      }
    }
    throw new AssertionError("the promotion's history holds no prepared release");
  }
}
