package dev.silo.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration activity reads the files the config step only hashed, and checks the hashes. */
class SiloMigrationFilesTest {

  private static final String FIRST = "20250115090000_create_crm_contacts.sql";

  @TempDir Path configRoot;

  private ExampleSilo example;
  private List<MigrationFile> validated;

  @BeforeEach
  void loadExample() throws Exception {
    example = ExampleSilo.copyTo(configRoot);
    validated = example.load().migrations();
  }

  @Test
  void givenUnchangedFiles_whenRead_itShouldReturnTheirContent() {
    List<MigrationFile> read = files().withContent("acme-crm", validated);

    assertThat(read).extracting(MigrationFile::fileName).containsExactly(FIRST, "20250115091500_contacts_rls.sql");
    assertThat(read.get(0).sql()).isEqualTo(example.read("supabase/migrations/" + FIRST));
    assertThat(read.get(0).sha256()).isEqualTo(validated.get(0).sha256());
  }

  @Test
  void givenAFileChangedAfterValidation_whenRead_itShouldFailWithoutRetryNamingTheFile() {
    example.write("supabase/migrations/" + FIRST, "drop table everything;\n");

    ApplicationFailure failure = failureOf(() -> files().withContent("acme-crm", validated));

    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage())
        .startsWith("acme-crm/supabase/migrations/" + FIRST + " changed after the config was validated (sha256 ")
        .endsWith("); deploy again to review it")
        .doesNotContain("\n")
        .doesNotContain(configRoot.toString());
  }

  @Test
  void givenAFileRemovedAfterValidation_whenRead_itShouldFailWithoutRetryNamingTheFile() {
    example.delete("supabase/migrations/" + FIRST);

    ApplicationFailure failure = failureOf(() -> files().withContent("acme-crm", validated));

    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).isEqualTo("acme-crm/supabase/migrations/" + FIRST
        + " was removed after the config was validated; deploy again to review the current files");
  }

  @Test
  void givenAFileNameThatLeavesTheMigrationsDirectory_whenRead_itShouldRefuseIt() throws Exception {
    MigrationFile escaping = MigrationFile.byHash("20250115090000", "x", "../../netlify.env.silo", "00", 1);

    ApplicationFailure failure = failureOf(() -> files().withContent("acme-crm", List.of(escaping)));

    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).endsWith(": " + SiloDirectory.ESCAPES);
  }

  @Test
  void givenMigrationsThatCarryTheirContent_whenRead_itShouldLeaveThemAsTheyAre() {
    List<MigrationFile> recorded = List.of(new MigrationFile("20250115090000", "x", FIRST, "select 1;"));

    assertThat(SiloMigrationFiles.none().withContent(null, recorded)).isEqualTo(recorded);
  }

  private SiloMigrationFiles files() {
    return new SiloMigrationFiles(ConfigRoots.of(configRoot));
  }

  private static ApplicationFailure failureOf(Runnable read) {
    return assertThatExceptionOfType(ApplicationFailure.class).isThrownBy(read::run).actual();
  }
}
