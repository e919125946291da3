package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.release.ReleaseDefinitionLoader;
import dev.silo.activities.release.ReleaseFiles;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.DatabaseBackup;
import dev.silo.workflows.database.DatabaseTarget;
import dev.silo.workflows.database.EnvironmentBackupRequest;
import dev.silo.workflows.database.EnvironmentDatabase;
import dev.silo.workflows.database.EnvironmentMigrateRequest;
import dev.silo.workflows.database.EnvironmentRestoreRequest;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.RlsTestRequest;
import dev.silo.workflows.database.RlsTestResult;
import dev.silo.workflows.database.SqlRequest;
import dev.silo.workflows.database.SqlResult;
import dev.silo.workflows.release.PipelineStep;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's database steps on a real PostgreSQL, driven by the shipped example: its
 * migrations, its stored procedure and the RLS tests its pipeline declares.
 */
class ReleaseDatabaseActivitiesImplTest {

  // Surefire runs in the module's directory, and the example lives next to the modules.
  private static final Path EXAMPLE = Path.of("..", "examples", "release");
  private static final String PASSWORD_VARIABLE = "EXPENSES_TEST_DB_PASSWORD";

  private static PostgresServer server;
  private static List<MigrationFile> exampleMigrations;
  private static List<PipelineStep.RlsTest> exampleRlsTests;

  @TempDir Path state;

  private DatabaseTarget target;
  private EnvironmentDatabase database;
  private ReleaseDatabaseActivitiesImpl activities;

  @BeforeAll
  static void startServerAndReadTheExample() throws Exception {
    server = PostgresServer.start();
    exampleMigrations = migrations(EXAMPLE.resolve("migrations"));
    exampleRlsTests =
        new ReleaseDefinitionLoader()
            .loadPipeline("expenses", EXAMPLE.resolve("pipeline.yml"))
            .rlsDeploy()
            .stream()
            .filter(PipelineStep.RlsTest.class::isInstance)
            .map(PipelineStep.RlsTest.class::cast)
            .toList();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void createDatabase() throws Exception {
    target = server.createDatabase();
    database =
        new EnvironmentDatabase(
            target.host(), target.port(), target.database(), target.user(), PASSWORD_VARIABLE);
    activities = activities(PostgresServer.PASSWORD);
  }

  @Test
  void givenTheExampleMigrations_whenTheExampleRlsTestsRun_eachRoleShouldSeeWhatThePoliciesAllow() {
    migrate();

    List<RlsTestResult> results = exampleRlsTests.stream().map(this::rlsTest).toList();

    assertThat(results).allSatisfy(result -> assertThat(result.passed()).as(result.message()).isTrue());
    assertThat(results).extracting(RlsTestResult::rows).containsExactly(4, 1, 2, null);
    assertThat(results.get(3).denied()).isTrue();
    assertThat(results.get(3).message())
        .startsWith("employee was denied")
        .contains("row-level security", "SQLSTATE 42501");
    assertThat(results.get(2).message()).isEqualTo("employee saw 2 rows");
  }

  @Test
  void givenAPolicyThatLeaksEveryExpenseToEmployees_whenTheEmployeeTestRuns_itShouldFail()
      throws Exception {
    migrate();
    server.query(target, "create policy leak on expenses for select to employee using (true)");

    RlsTestResult employee = rlsTest(exampleRlsTests.get(2));

    assertThat(employee.passed()).isFalse();
    assertThat(employee.rows()).isEqualTo(4);
    assertThat(employee.message()).isEqualTo("employee saw 4 rows, expected 2");
  }

  @Test
  void givenAnRlsTestThatChangesRows_whenItRuns_itShouldCountThemAndKeepNothing() throws Exception {
    migrate();

    RlsTestResult admin =
        activities.rlsTest(
            new RlsTestRequest(database, "admin", Map.of("sub", "alice"), "delete from expenses", 4, false));
    RlsTestResult employee =
        activities.rlsTest(
            new RlsTestRequest(
                database, "employee", Map.of("sub", "carol"),
                "update expenses set status = 'submitted'", null, true));

    assertThat(admin).isEqualTo(new RlsTestResult(true, 4, false, "admin changed 4 rows"));
    assertThat(employee.passed()).isFalse();
    assertThat(employee.message()).isEqualTo("employee changed 2 rows, expected a denial");
    assertThat(server.query(target, "select status from expenses order by id"))
        .containsExactly("submitted", "draft", "submitted", "approved");
  }

  @Test
  void givenARoleThatIsNotAnIdentifier_whenTested_itShouldRefuseTheRequestBeforeConnecting() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.rlsTest(
                    new RlsTestRequest(
                        database, "employee; drop table expenses", Map.of(), "select 1", 1, false)));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenTheExampleMigrations_whenMigratedTwice_theSecondRunShouldApplyNothing() {
    MigrationResult first = migrate();
    MigrationResult second = migrate();

    assertThat(first.applied())
        .containsExactly("20250301090000", "20250301090500", "20250301091000");
    assertThat(second.applied()).isEmpty();
    assertThat(second.alreadyApplied()).isEqualTo(first.applied());
  }

  @Test
  void givenABackup_whenTheDataChangesAndTheBackupIsRestored_itShouldBringTheRowsBack()
      throws Exception {
    migrate();
    DatabaseBackup backup = activities.backup(new EnvironmentBackupRequest(database, "expenses-1.0.0"));
    server.query(target, "delete from expenses where owner = 'dave'");

    activities.restore(new EnvironmentRestoreRequest(database, backup.path()));

    assertThat(Path.of(backup.path()))
        .isEqualTo(state.resolve("backups").resolve("expenses-1.0.0.dump").toAbsolutePath());
    assertThat(server.query(target, "select owner from expenses order by id"))
        .containsExactly("carol", "carol", "dave", "dave");
  }

  @Test
  void givenABackupOfAnEmptyDatabase_whenTheVersionIsRolledBack_itShouldLeaveNeitherItsTablesNorItsHistory()
      throws Exception {
    DatabaseBackup before = activities.backup(new EnvironmentBackupRequest(database, "expenses-before"));
    migrate();
    assertThat(server.query(target, "select count(*) from expenses")).containsExactly("4");

    activities.restore(new EnvironmentRestoreRequest(database, before.path()));

    assertThat(server.query(target, "select count(*) from pg_tables where schemaname not in"
        + " ('pg_catalog', 'information_schema')")).containsExactly("0");
    assertThat(server.query(target, "select count(*) from pg_namespace where nspname = 'supabase_migrations'"))
        .containsExactly("0");
    assertThat(server.query(target, "select has_schema_privilege('employee', 'public', 'USAGE')"))
        .containsExactly("t");
    assertThat(migrate().applied()).hasSize(3);
  }

  @Test
  void givenTheExampleFunction_whenRunTwice_itShouldReplaceItAndStayCallable() throws Exception {
    migrate();
    String sql = Files.readString(EXAMPLE.resolve("functions/submit_expense.sql"));
    SqlRequest function = new SqlRequest(database, "functions/submit_expense.sql", sql);

    SqlResult first = activities.runSql(function);
    SqlResult second = activities.runSql(function);
    SqlResult check =
        activities.runSql(
            new SqlRequest(
                database,
                "inline",
                "select submit_expense(2);\nselect count(*) from expenses where status = 'submitted'"));

    assertThat(first).isEqualTo(new SqlResult(2, 0, null));
    assertThat(second).isEqualTo(first);
    assertThat(check).isEqualTo(new SqlResult(2, 0, "3"));
  }

  @Test
  void givenAStatementThatChangesRows_whenRun_itShouldCountThem() {
    migrate();

    SqlResult result =
        activities.runSql(
            new SqlRequest(
                database,
                "inline",
                "begin;\nupdate expenses set status = 'submitted' where status = 'draft';\n"
                    + "delete from expenses where owner = 'dave';\ncommit;"));

    assertThat(result).isEqualTo(new SqlResult(2, 3, null));
  }

  @Test
  void givenABrokenStatement_whenRun_itShouldNameSourceAndLineAndLeaveNothing() throws Exception {
    String script =
        """
        create table notes (id int primary key);
        insert into notes values (1);
        insert into notez values (2);
        """;

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.runSql(new SqlRequest(database, "functions/notes.sql", script)));

    assertThat(failure.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("functions/notes.sql", "statement 3 of 3", "line 3, column 13", "notez")
        .doesNotContain(PostgresServer.PASSWORD);
    assertThat(server.query(target, "select to_regclass('public.notes') is null"))
        .containsExactly("t");
  }

  @Test
  void givenAScriptThatCommitsHalfway_whenRun_itShouldRefuseItBeforeRunningAnything()
      throws Exception {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.runSql(
                    new SqlRequest(
                        database, "inline", "create table a (id int);\nrollback;\ncreate table b (id int);")));

    assertThat(failure.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
    assertThat(failure.getOriginalMessage()).contains("inline line 2", "ROLLBACK");
    assertThat(server.query(target, "select to_regclass('public.a') is null")).containsExactly("t");
  }

  @Test
  void givenNoPasswordVariableOnTheWorker_whenAnyStepRuns_itShouldNameTheVariableWithoutRetry() {
    ReleaseDatabaseActivitiesImpl withoutPassword =
        new ReleaseDatabaseActivitiesImpl(state, Map.of("PATH", System.getenv("PATH"),
            "OTHER_DB_PASSWORD", PostgresServer.PASSWORD), new ReleaseFiles(null, state.resolve("workspaces")));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> withoutPassword.runSql(new SqlRequest(database, "inline", "select 1")));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(PASSWORD_VARIABLE, target.displayUrl())
        .doesNotContain(PostgresServer.PASSWORD);
  }

  @Test
  void givenAWrongPasswordInTheVariable_whenAStepRuns_itShouldFailAsRejectedWithoutTheValue() {
    String wrongPassword = "not-the-password-4711";

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities(wrongPassword).runSql(new SqlRequest(database, "inline", "select 1")));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).doesNotContain(wrongPassword);
  }

  private ReleaseDatabaseActivitiesImpl activities(String password) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put(PASSWORD_VARIABLE, password);
    return new ReleaseDatabaseActivitiesImpl(state, environment, new ReleaseFiles(null, state.resolve("workspaces")));
  }

  private MigrationResult migrate() {
    return activities.migrate(new EnvironmentMigrateRequest(database, exampleMigrations));
  }

  private RlsTestResult rlsTest(PipelineStep.RlsTest step) {
    return activities.rlsTest(
        new RlsTestRequest(
            database, step.role(), step.claims(), step.sql(), step.expectVisibleRows(), step.expectDenied()));
  }

  /** Reads a migrations directory as the release's prepare step hands it over, sorted by version. */
  private static List<MigrationFile> migrations(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .sorted()
          .map(
              file -> {
                String fileName = file.getFileName().toString();
                try {
                  return new MigrationFile(
                      fileName.substring(0, 14),
                      fileName.substring(15, fileName.length() - ".sql".length()),
                      fileName,
                      Files.readString(file));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    }
  }
}
