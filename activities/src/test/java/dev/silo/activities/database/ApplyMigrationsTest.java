package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.ApplyMigrationsRequest;
import dev.silo.workflows.database.DatabaseTarget;
import dev.silo.workflows.database.MigrationResult;
import io.temporal.failure.ApplicationFailure;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyMigrationsTest {

  private static final MigrationFile CREATE_CONTACTS =
      migration("20250101000000", "create_contacts",
          "-- Contacts of the CRM.\n"
              + "create table public.contacts (\n"
              + "  id bigint generated always as identity primary key,\n"
              + "  name text not null\n"
              + ");\n");
  private static final MigrationFile SEED_CONTACTS =
      migration("20250102000000", "seed_contacts",
          "insert into public.contacts(name) values ('Ada; Lovelace');\n"
              + "insert into public.contacts(name) values ('Grace Hopper');\n");
  private static final MigrationFile ADD_EMAIL =
      migration("20250103000000", "add_email",
          "alter table public.contacts add column email text;\n"
              + "create index contacts_email on public.contacts(email);\n"
              + "comment on column public.contacts.email is 'where; to write';\n");

  private static PostgresServer server;

  @TempDir Path temp;

  private DatabaseTarget database;
  private DatabaseActivitiesImpl activities;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void createDatabase() throws Exception {
    database = server.createDatabase();
    activities =
        new DatabaseActivitiesImpl(
            new SecretStore(temp.resolve("secrets"), Clock.systemUTC()),
            new PostgresClientPrograms(System.getenv()),
            Clock.systemUTC());
  }

  @Test
  void givenThreeMigrations_whenApplied_itShouldRunThemInOrderAndRecordEachInTheHistory()
      throws Exception {
    MigrationResult result = push(false, CREATE_CONTACTS, SEED_CONTACTS, ADD_EMAIL);

    assertThat(result.applied())
        .containsExactly("20250101000000", "20250102000000", "20250103000000");
    assertThat(result.alreadyApplied()).isEmpty();
    assertThat(server.psql(database,
            "select version, name, array_length(statements, 1)"
                + " from supabase_migrations.schema_migrations order by 1"))
        .containsExactly(
            "20250101000000|create_contacts|1",
            "20250102000000|seed_contacts|2",
            "20250103000000|add_email|3");
    assertThat(server.query(database, "select name, email from public.contacts order by id"))
        .containsExactly("Ada; Lovelace|null", "Grace Hopper|null");
  }

  @Test
  void givenAMigrationFile_whenApplied_itShouldStoreItsStatementsAsTheSupabaseCliSplitsThem()
      throws Exception {
    push(false, CREATE_CONTACTS, SEED_CONTACTS);

    assertThat(server.psql(database,
            "select s from supabase_migrations.schema_migrations, unnest(statements) s"
                + " where version = '20250102000000'"))
        .containsExactly(
            "insert into public.contacts(name) values ('Ada; Lovelace')",
            "insert into public.contacts(name) values ('Grace Hopper')");
    assertThat(server.query(database,
            "select statements[1] from supabase_migrations.schema_migrations"
                + " where version = '20250101000000'"))
        .singleElement()
        .asString()
        .startsWith("-- Contacts of the CRM.\ncreate table public.contacts (")
        .endsWith("name text not null\n)");
  }

  @Test
  void givenAppliedMigrations_whenPushedAgain_itShouldApplyNothing() throws Exception {
    push(false, CREATE_CONTACTS, SEED_CONTACTS);

    MigrationResult again = push(false, CREATE_CONTACTS, SEED_CONTACTS);

    assertThat(again.applied()).isEmpty();
    assertThat(again.alreadyApplied()).containsExactly("20250101000000", "20250102000000");
    assertThat(server.query(database, "select count(*) from public.contacts")).containsExactly("2");
    assertThat(server.psql(database, "select count(*) from supabase_migrations.schema_migrations"))
        .containsExactly("2");
  }

  @Test
  void givenANewFileAfterAppliedOnes_whenPushed_itShouldApplyOnlyTheNewFile() throws Exception {
    push(false, CREATE_CONTACTS, SEED_CONTACTS);

    MigrationResult result = push(false, CREATE_CONTACTS, SEED_CONTACTS, ADD_EMAIL);

    assertThat(result.applied()).containsExactly("20250103000000");
    assertThat(result.alreadyApplied()).containsExactly("20250101000000", "20250102000000");
  }

  @Test
  void givenASecondFileWithBadSql_whenApplied_itShouldKeepTheFirstAndLeaveNothingOfTheSecond()
      throws Exception {
    MigrationFile broken =
        migration("20250102000000", "create_notes",
            "create table public.notes (id bigint primary key);\n"
                + "\n"
                + "insert into public.notes values (1);\n"
                + "insert into public.missing_table\n"
                + "  values (2);\n");

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> push(false, CREATE_CONTACTS, broken));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("20250102000000_create_notes.sql")
        .contains("statement 3 of 3 (line 4, column 13)")
        .contains("relation \"public.missing_table\" does not exist (SQLSTATE 42P01)")
        .contains("insert into public.missing_table")
        .contains("rolled back")
        .contains("Applied before it by this push: 20250101000000")
        .doesNotContain(PostgresServer.PASSWORD);
    assertThat(server.query(database, "select to_regclass('public.notes') is null"))
        .containsExactly("t");
    assertThat(server.query(database, "select to_regclass('public.contacts') is not null"))
        .containsExactly("t");
    assertThat(server.psql(database,
            "select version from supabase_migrations.schema_migrations order by 1"))
        .containsExactly("20250101000000");
  }

  @Test
  void givenAFailedFileThatWasFixed_whenPushedAgain_itShouldApplyTheFixedFile() throws Exception {
    MigrationFile broken = migration("20250102000000", "create_notes", "create tabel notes (id int);");
    catchThrowableOfType(ApplicationFailure.class, () -> push(false, CREATE_CONTACTS, broken));
    MigrationFile fixed = migration("20250102000000", "create_notes", "create table notes (id int);");

    MigrationResult result = push(false, CREATE_CONTACTS, fixed);

    assertThat(result.applied()).containsExactly("20250102000000");
    assertThat(result.alreadyApplied()).containsExactly("20250101000000");
  }

  @Test
  void givenARemoteVersionMissingLocally_whenApplied_itShouldFailNamingItAndApplyNothing()
      throws Exception {
    push(false, CREATE_CONTACTS, SEED_CONTACTS);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> push(false, CREATE_CONTACTS, ADD_EMAIL));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("Remote migration versions not found in local migrations directory: 20250102000000.")
        .contains("supabase migration repair --status reverted 20250102000000");
    assertThat(server.query(database, "select count(*) from information_schema.columns"
            + " where table_name = 'contacts' and column_name = 'email'"))
        .containsExactly("0");
  }

  @Test
  void givenALocalVersionOlderThanTheNewestApplied_whenAppliedWithoutIncludeAll_itShouldFail()
      throws Exception {
    push(false, CREATE_CONTACTS, ADD_EMAIL);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> push(false, CREATE_CONTACTS, SEED_CONTACTS, ADD_EMAIL));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("Found local migration files to be inserted before the last migration on"
            + " remote database: supabase/migrations/20250102000000_seed_contacts.sql.")
        .contains("includeAll");
    assertThat(server.query(database, "select count(*) from public.contacts")).containsExactly("0");
  }

  @Test
  void givenALocalVersionOlderThanTheNewestApplied_whenAppliedWithIncludeAll_itShouldApplyItFirst()
      throws Exception {
    push(false, CREATE_CONTACTS, ADD_EMAIL);
    MigrationFile later =
        migration("20250104000000", "more_contacts",
            "insert into public.contacts(name, email) values ('Alan Turing', 'alan@example.test');");

    MigrationResult result = push(true, CREATE_CONTACTS, SEED_CONTACTS, ADD_EMAIL, later);

    assertThat(result.applied()).containsExactly("20250102000000", "20250104000000");
    assertThat(result.alreadyApplied()).containsExactly("20250101000000", "20250103000000");
    assertThat(server.query(database, "select name from public.contacts order by id"))
        .containsExactly("Ada; Lovelace", "Grace Hopper", "Alan Turing");
    assertThat(server.psql(database,
            "select version from supabase_migrations.schema_migrations order by 1"))
        .containsExactly("20250101000000", "20250102000000", "20250103000000", "20250104000000");
  }

  @Test
  void givenFunctionBodiesWithSemicolons_whenApplied_itShouldCreateTheFunctionsIntact()
      throws Exception {
    MigrationFile functions =
        migration("20250102000000", "functions",
            "create function public.greeting(who text) returns text\n"
                + "language plpgsql as $$\n"
                + "declare\n"
                + "  result text;\n"
                + "begin\n"
                + "  result := 'Hello; ' || who;  -- a comment; with a semicolon\n"
                + "  return result;\n"
                + "end;\n"
                + "$$;\n"
                + "/* a block comment; /* nested; */ still a comment; */\n"
                + "create function public.shout(t text) returns text language plpgsql\n"
                + "as $body$ begin return upper(t) || $$;$$; end; $body$;\n"
                + "create function public.sign_of(n int) returns text language sql\n"
                + "begin atomic\n"
                + "  select case when n < 0 then 'negative' else 'not negative' end;\n"
                + "end;\n"
                + "create table public.\"odd;name\" (note text default E'it\\'s; fine');\n"
                + "-- trailing comment; the CLI keeps it as a statement\n");

    push(false, CREATE_CONTACTS, functions);

    assertThat(server.query(database,
            "select public.greeting('Ada'), public.shout('x'), public.sign_of(-1)"))
        .containsExactly("Hello; Ada|X;|negative");
    assertThat(server.query(database, "insert into public.\"odd;name\" default values returning note"))
        .containsExactly("it's; fine");
    assertThat(server.psql(database,
            "select array_length(statements, 1) from supabase_migrations.schema_migrations"
                + " where version = '20250102000000'"))
        .containsExactly("5");
  }

  @Test
  void givenBeginAndCommitInAFile_whenApplied_itShouldRecordThemButRunTheFileAsOneTransaction()
      throws Exception {
    MigrationFile wrapped =
        migration("20250102000000", "wrapped",
            "begin;\ncreate table public.tags (name text);\ncommit;\n");
    MigrationFile committedEarly =
        migration("20250103000000", "committed_early",
            "BEGIN;\ncreate table public.labels (name text);\nCOMMIT;\ninsert into public.nope values (1);\n");

    MigrationResult result = push(false, CREATE_CONTACTS, wrapped);
    catchThrowableOfType(
        ApplicationFailure.class, () -> push(false, CREATE_CONTACTS, wrapped, committedEarly));

    assertThat(result.applied()).containsExactly("20250101000000", "20250102000000");
    assertThat(server.psql(database,
            "select array_length(statements, 1) from supabase_migrations.schema_migrations"
                + " where version = '20250102000000'"))
        .containsExactly("3");
    assertThat(server.query(database,
            "select to_regclass('public.tags') is not null, to_regclass('public.labels') is null"))
        .containsExactly("t|t");
  }

  @Test
  void givenARollbackInAFile_whenApplied_itShouldRefuseTheFileBeforeRunningAnything()
      throws Exception {
    MigrationFile rollback =
        migration("20250102000000", "undo", "create table public.tags (name text);\nrollback;\n");

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> push(false, CREATE_CONTACTS, rollback));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage()).contains("20250102000000_undo.sql line 2");
    assertThat(server.query(database, "select to_regclass('public.contacts') is null"))
        .containsExactly("t");
  }

  @Test
  void givenAFileThatClearsTheSearchPath_whenTheNextFileRuns_itShouldHaveTheDefaultSettingsBack()
      throws Exception {
    MigrationFile pulled =
        migration("20250102000000", "pulled_schema",
            "SELECT pg_catalog.set_config('search_path', '', false);\n"
                + "SET statement_timeout = 0;\n"
                + "CREATE TABLE public.pulled (id integer);\n");
    MigrationFile unqualified = migration("20250103000000", "unqualified", "create table plain (id int);");

    MigrationResult result = push(false, CREATE_CONTACTS, pulled, unqualified);

    assertThat(result.applied()).containsExactly("20250101000000", "20250102000000", "20250103000000");
    assertThat(server.query(database, "select to_regclass('public.plain') is not null"))
        .containsExactly("t");
  }

  @Test
  void givenTwoPushesAtTheSameTime_whenRun_itShouldApplyEachMigrationOnce() throws Exception {
    MigrationFile slow =
        migration("20250102000000", "slow_seed",
            "select pg_sleep(0.5);\ninsert into public.contacts(name) values ('once');");
    ExecutorService executor = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<MigrationResult>> pushes = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Callable<MigrationResult> push = () -> {
          start.await();
          return push(false, CREATE_CONTACTS, slow);
        };
        pushes.add(executor.submit(push));
      }
      start.countDown();
      List<MigrationResult> results = new ArrayList<>();
      for (Future<MigrationResult> push : pushes) {
        results.add(push.get());
      }

      assertThat(results).filteredOn(result -> !result.applied().isEmpty())
          .singleElement()
          .extracting(MigrationResult::applied)
          .asList()
          .containsExactly("20250101000000", "20250102000000");
      assertThat(results).filteredOn(result -> result.applied().isEmpty())
          .hasSize(3)
          .allSatisfy(result -> assertThat(result.alreadyApplied())
              .containsExactly("20250101000000", "20250102000000"));
    } finally {
      executor.shutdownNow();
    }
    assertThat(server.query(database, "select count(*) from public.contacts")).containsExactly("1");
    assertThat(server.psql(database, "select count(*) from supabase_migrations.schema_migrations"))
        .containsExactly("2");
  }

  @Test
  void givenAWrongPassword_whenApplied_itShouldFailWithoutRetryAsRejected() {
    String wrongPassword = "not-the-password-4711";
    DatabaseTarget wrong =
        new DatabaseTarget(database.host(), database.port(), database.database(), database.user(), wrongPassword);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.applyMigrations(new ApplyMigrationsRequest(wrong, List.of(CREATE_CONTACTS), false)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("password authentication failed", "SQLSTATE 28P01", wrong.displayUrl())
        .doesNotContain(wrongPassword);
  }

  @Test
  void givenAClosedPort_whenApplied_itShouldFailRetryablyAsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DatabaseTarget nowhere =
        new DatabaseTarget(PostgresServer.HOST, closedPort, "postgres", "postgres", PostgresServer.PASSWORD);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.applyMigrations(new ApplyMigrationsRequest(nowhere, List.of(CREATE_CONTACTS), false)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains(nowhere.displayUrl(), "SQLSTATE 08001")
        .doesNotContain(PostgresServer.PASSWORD);
  }

  @Test
  void givenAMissingDatabase_whenApplied_itShouldFailWithoutRetryAsNotFound() {
    DatabaseTarget missing = server.target("no_such_database");

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.applyMigrations(new ApplyMigrationsRequest(missing, List.of(CREATE_CONTACTS), false)));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenNoMigrations_whenApplied_itShouldApplyNothingAndCreateNoHistoryTable() throws Exception {
    MigrationResult result = push(false);

    assertThat(result).isEqualTo(new MigrationResult(List.of(), List.of()));
    assertThat(server.query(database, "select to_regclass('supabase_migrations.schema_migrations') is null"))
        .containsExactly("t");
  }

  private MigrationResult push(boolean includeAll, MigrationFile... migrations) {
    return activities.applyMigrations(new ApplyMigrationsRequest(database, List.of(migrations), includeAll));
  }

  private static MigrationFile migration(String version, String name, String sql) {
    return new MigrationFile(version, name, version + "_" + name + ".sql", sql);
  }
}
