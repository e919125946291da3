package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.PipelineStep;
import dev.silo.workflows.release.ReleaseDefinition;
import dev.silo.workflows.release.RollbackTrigger;
import dev.silo.workflows.release.StepKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped {@code examples/release} loads, so that the example stays runnable. */
class ExampleReleaseTest {

  // Surefire runs in the module's directory, and the example lives next to the modules.
  private static final Path EXAMPLE = Path.of("..", "examples", "release");

  @Test
  void givenTheExample_whenLoaded_itShouldUseTheBuiltInKinds() throws Exception {
    ReleaseDefinition definition = load();

    assertThat(definition.pipeline().schemaDeploy())
        .extracting(PipelineStep::kind)
        .containsExactly(StepKind.BACKUP, StepKind.MIGRATE, StepKind.SQL);
    assertThat(definition.pipeline().schemaDeploy().get(1))
        .isInstanceOfSatisfying(PipelineStep.Migrate.class, migrate ->
            assertThat(migrate.directory()).isEqualTo("migrations"));
    assertThat(definition.pipeline().rlsDeploy()).hasOnlyElementsOfType(PipelineStep.RlsTest.class);
    List<PipelineStep.RlsTest> rlsTests = definition.pipeline().rlsDeploy().stream()
        .filter(PipelineStep.RlsTest.class::isInstance).map(PipelineStep.RlsTest.class::cast).toList();
    assertThat(rlsTests)
        .extracting(PipelineStep.RlsTest::role)
        .containsExactly("admin", "approver", "employee", "employee");
    PipelineStep.RlsTest approver = rlsTests.get(1);
    assertThat(approver.claims()).isEqualTo(Map.of("sub", "bob", "team", "finance"));
    assertThat(approver.expectVisibleRows()).isEqualTo(1);
    assertThat(rlsTests.get(3).expectDenied()).isTrue();
    assertThat(definition.pipeline().rollback().triggers())
        .contains(RollbackTrigger.errorRateAbove(1));
    assertThat(definition.pipeline().rollback().steps())
        .extracting(PipelineStep::kind,
            step -> step instanceof PipelineStep.Webhook webhook ? webhook.webhookEnv() : null)
        .containsExactly(
            tuple(StepKind.RESTORE, null),
            tuple(StepKind.NOTIFY, "RELEASE_SLACK_WEBHOOK_URL"),
            tuple(StepKind.INCIDENT, "RELEASE_INCIDENT_WEBHOOK_URL"));
  }

  @Test
  void givenTheExample_whenLoaded_itShouldGateProdOnTwoOfItsApprovers() throws Exception {
    ReleaseDefinition definition = load();

    assertThat(definition.environments())
        .extracting(EnvironmentDefinition::name)
        .containsExactly("dev", "staging", "uat", "prod");
    EnvironmentDefinition dev = definition.environments().get(0);
    assertThat(dev.autoDeploy()).isTrue();
    assertThat(dev.requireApproval()).isFalse();
    EnvironmentDefinition prod = definition.environments().get(3);
    assertThat(prod.autoDeploy()).isFalse();
    assertThat(prod.requireApproval()).isTrue();
    assertThat(prod.approvers())
        .containsExactly("@devops-lead", "@engineering-manager", "@finance-owner");
    assertThat(prod.minApprovals()).isEqualTo(2);
    assertThat(prod.approvalTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(prod.database().passwordEnv()).isEqualTo("EXPENSES_PROD_DB_PASSWORD");
    assertThat(prod.database().port()).isEqualTo(5432);
  }

  @Test
  void givenTheExample_itShouldShipEveryFileItsStepsName() throws Exception {
    ReleaseDefinition definition = load();

    String migrations = definition.pipeline().schemaDeploy().get(1) instanceof PipelineStep.Migrate migrate
        ? migrate.directory() : null;
    assertThat(EXAMPLE.resolve(migrations))
        .isDirectoryContaining("glob:**/*_create_expenses.sql")
        .isDirectoryContaining("glob:**/*_expenses_rls.sql");
    String functions = definition.pipeline().functionDeploy().get(0) instanceof PipelineStep.Sql sql
        ? sql.file() : null;
    assertThat(EXAMPLE.resolve(functions))
        .isRegularFile();
    assertThat(Files.readString(EXAMPLE.resolve("README.md"))).contains("pipeline.yml");
  }

  private static ReleaseDefinition load() throws ReleaseDefinitionException {
    return new ReleaseDefinitionLoader()
        .load("expenses", EXAMPLE.resolve("pipeline.yml"), EXAMPLE.resolve("environments"));
  }
}
