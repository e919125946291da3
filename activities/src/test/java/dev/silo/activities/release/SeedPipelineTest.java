package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.release.PipelineStep;
import dev.silo.workflows.release.ReleasePipeline;
import dev.silo.workflows.release.RollbackTrigger;
import dev.silo.workflows.release.StepKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's own YAML blocks, kept verbatim in {@code release/seed-pipeline.yml}, load as they
 * are: one document per block, or all blocks in one document.
 */
class SeedPipelineTest {

  private static final Path SEED =
      Path.of("src", "test", "resources", "release", "seed-pipeline.yml");

  @TempDir Path directory;

  @Test
  void givenTheSeedBlocksAsDocuments_whenLoaded_itShouldReadEveryStage() throws Exception {
    ReleasePipeline pipeline = new ReleaseDefinitionLoader().loadPipeline("seed", SEED);

    assertSeedPipeline(pipeline);
  }

  @Test
  void givenTheSeedBlocksInOneDocument_whenLoaded_itShouldReadEveryStage() throws Exception {
    Path combined = directory.resolve("pipeline.yml");
    Files.writeString(combined, Files.readString(SEED).replace("---\n", ""));

    ReleasePipeline pipeline = new ReleaseDefinitionLoader().loadPipeline("seed", combined);

    assertSeedPipeline(pipeline);
  }

  private static void assertSeedPipeline(ReleasePipeline pipeline) {
    assertThat(pipeline.project()).isEqualTo("seed");
    assertThat(pipeline.preFlight())
        .extracting(PipelineStep::name)
        .containsExactly(
            "Verify all tests passing",
            "Check migrations can apply",
            "Validate secrets configured",
            "Verify Odoo module dependencies");
    assertThat(pipeline.preFlight())
        .allSatisfy(
            step -> {
              assertThat(step.kind()).isEqualTo(StepKind.COMMAND);
              assertThat(step.blocking()).isTrue();
            });
    assertThat(command(pipeline.preFlight().get(3)))
        .isEqualTo("python -c \"import odoo; odoo.modules.check_manifest()\"");
    assertThat(pipeline.schemaDeploy())
        .extracting(SeedPipelineTest::command)
        .containsExactly(
            "supabase db dump --file backup-$(date +%Y%m%d).sql",
            "supabase db push", "supabase db lint");
    assertThat(pipeline.schemaDeploy()).noneMatch(PipelineStep::blocking);
    assertThat(pipeline.functionDeploy()).hasSize(3).allMatch(s -> s.kind() == StepKind.COMMAND);
    assertThat(pipeline.rlsDeploy())
        .extracting(SeedPipelineTest::command)
        .containsExactly(
            "psql -f migrations/rls-policies.sql",
            "./scripts/test-rls.sh --role admin",
            "./scripts/test-rls.sh --role approver",
            "./scripts/test-rls.sh --role employee");
    assertThat(pipeline.healthChecks())
        .extracting(PipelineStep::kind, SeedPipelineTest::endpoint, PipelineStep::timeout)
        .containsExactly(
            tuple(StepKind.ENDPOINT, "/health/db 200", Duration.ofSeconds(5)),
            tuple(StepKind.ENDPOINT, "/health/functions 200", Duration.ofSeconds(10)),
            tuple(StepKind.ENDPOINT, "/health/rls 200", Duration.ofSeconds(5)),
            tuple(StepKind.ENDPOINT, "/health/odoo 200", Duration.ofSeconds(15)));
    assertThat(pipeline.rollback().triggers())
        .containsExactly(
            RollbackTrigger.healthCheckFailure(),
            RollbackTrigger.errorRateAbove(1),
            RollbackTrigger.p99LatencyAbove(Duration.ofSeconds(5)));
    assertThat(pipeline.rollback().steps())
        .extracting(SeedPipelineTest::command)
        .containsExactly(
            "supabase db reset --version $PREVIOUS_VERSION",
            "psql < backup-$PREVIOUS_DATE.sql",
            "./scripts/notify-oncall.sh \"Rollback triggered: $REASON\"",
            "./scripts/create-incident.sh");
  }

  /** A command step's command; null for a step of another kind. */
  private static String command(PipelineStep step) {
    return step instanceof PipelineStep.Command command ? command.command() : null;
  }

  /** An endpoint step's endpoint and expected status; null for a step of another kind. */
  private static String endpoint(PipelineStep step) {
    return step instanceof PipelineStep.Endpoint endpoint
        ? endpoint.endpoint() + " " + endpoint.expectedStatus()
        : null;
  }
}
