package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cases of the Supabase CLI's {@code FindPendingMigrations} tests, on version lists. */
class MigrationPlanTest {

  @Test
  void givenAnEmptyHistory_whenPlanned_itShouldApplyEveryLocalFileInVersionOrder() {
    MigrationPlan plan = MigrationPlan.of(files("20240102", "20240101"), List.of(), false);

    assertThat(versions(plan.pending())).containsExactly("20240101", "20240102");
    assertThat(plan.alreadyApplied()).isEmpty();
  }

  @Test
  void givenAnAppliedPrefix_whenPlanned_itShouldApplyOnlyTheLaterFiles() {
    MigrationPlan plan =
        MigrationPlan.of(files("20240101", "20240102", "20240103"), List.of("20240101", "20240102"), false);

    assertThat(versions(plan.pending())).containsExactly("20240103");
    assertThat(plan.alreadyApplied()).containsExactly("20240101", "20240102");
  }

  @Test
  void givenRemoteVersionsMissingLocally_whenPlanned_itShouldFailListingThemEvenWithIncludeAll() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> MigrationPlan.of(files("20240101", "20240103"),
                List.of("20240101", "20240102", "20240104"), true));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith(MigrationPlan.MISSING_LOCAL + ": 20240102, 20240104.");
    assertThat(failure.getDetails().get(0, List.class)).containsExactly("20240102", "20240104");
  }

  @Test
  void givenOlderUnappliedLocalFiles_whenPlannedWithoutIncludeAll_itShouldFailListingThem() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> MigrationPlan.of(files("20240101", "20240102", "20240103"), List.of("20240101", "20240103"), false));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage())
        .startsWith(MigrationPlan.MISSING_REMOTE + ": supabase/migrations/20240102_m.sql.");
  }

  @Test
  void givenOlderUnappliedLocalFiles_whenPlannedWithIncludeAll_itShouldApplyThemBeforeTheNewerOnes() {
    MigrationPlan plan =
        MigrationPlan.of(files("20240101", "20240102", "20240103", "20240104", "20240105"),
            List.of("20240101", "20240103"), true);

    assertThat(versions(plan.pending())).containsExactly("20240102", "20240104", "20240105");
    assertThat(plan.alreadyApplied()).containsExactly("20240101", "20240103");
  }

  @Test
  void givenTwoFilesWithOneVersion_whenPlanned_itShouldFailNamingBoth() {
    List<MigrationFile> local =
        List.of(new MigrationFile("20240101", "a", "20240101_a.sql", ""),
            new MigrationFile("20240101", "b", "20240101_b.sql", ""));

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> MigrationPlan.of(local, List.of(), false));

    assertThat(failure.getOriginalMessage()).contains("20240101_a.sql", "20240101_b.sql");
  }

  private static List<MigrationFile> files(String... versions) {
    return java.util.Arrays.stream(versions)
        .map(version -> new MigrationFile(version, "m", version + "_m.sql", "select 1;"))
        .toList();
  }

  private static List<String> versions(List<MigrationFile> files) {
    return files.stream().map(MigrationFile::version).toList();
  }
}
