package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.activities.config.ConfigProblem;
import dev.silo.activities.config.FileProblems;
import dev.silo.workflows.release.EnvironmentDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's three environment blocks, kept verbatim in {@code release/seed-environments/},
 * load as they are: {@code supabase_project}, {@code odoo_url}, approvers written {@code
 * - @devops-lead}, and neither a database nor a base URL.
 */
class SeedEnvironmentsTest {

  private static final Path SEED_ENVIRONMENTS =
      Path.of("src", "test", "resources", "release", "seed-environments");

  @TempDir Path directory;

  @Test
  void givenEachSeedEnvironmentBlock_whenRead_itShouldLoadWithoutAProblem() {
    for (String environment : List.of("dev", "staging", "prod")) {
      List<ConfigProblem> problems = new ArrayList<>();
      Path file = SEED_ENVIRONMENTS.resolve(environment + ".yml");

      Optional<EnvironmentDefinition> definition =
          EnvironmentFileReader.read(environment, file, new FileProblems(file.toString(), problems));

      assertThat(problems).as(environment).isEmpty();
      assertThat(definition).as(environment).isPresent();
    }
  }

  @Test
  void givenTheSeedEnvironments_whenLoadedAsADirectory_itShouldKeepTheirProjectsUrlsAndApprovers()
      throws Exception {
    Path environments = Files.createDirectory(directory.resolve("environments"));
    for (String environment : List.of("dev", "staging", "prod")) {
      Files.copy(
          SEED_ENVIRONMENTS.resolve(environment + ".yml"),
          environments.resolve(environment + ".yml"));
    }
    // The runbook draws a UAT stage but gives it no block; this one is written like the others.
    Files.writeString(
        environments.resolve("uat.yml"),
        """
        environment: uat
        supabase_project: ipai-uat
        odoo_url: https://erp-uat.insightpulseai.net
        auto_deploy: false
        require_approval: false
        """);

    List<EnvironmentDefinition> loaded =
        new ReleaseDefinitionLoader().loadEnvironments(environments);

    assertThat(loaded)
        .extracting(
            EnvironmentDefinition::name,
            EnvironmentDefinition::supabaseProject,
            EnvironmentDefinition::odooUrl,
            EnvironmentDefinition::autoDeploy,
            EnvironmentDefinition::requireApproval,
            EnvironmentDefinition::approvers,
            EnvironmentDefinition::database,
            EnvironmentDefinition::baseUrl)
        .containsExactly(
            tuple("dev", "ipai-dev", "https://erp-dev.insightpulseai.net", true, false, List.of(),
                null, null),
            tuple("staging", "ipai-staging", "https://erp-staging.insightpulseai.net", false, false,
                List.of(), null, null),
            tuple("uat", "ipai-uat", "https://erp-uat.insightpulseai.net", false, false, List.of(),
                null, null),
            tuple("prod", "ipai-prod", "https://erp.insightpulseai.net", false, true,
                List.of("@devops-lead", "@engineering-manager"), null, null));
  }
}
