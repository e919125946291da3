package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.BackupRequest;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.DatabaseBackup;
import dev.silo.workflows.database.DatabaseTarget;
import dev.silo.workflows.database.RestoreRequest;
import dev.silo.workflows.database.RestoreResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRestoreTest {

  private static PostgresServer server;

  @TempDir Path temp;

  private DatabaseTarget database;
  private DatabaseActivitiesImpl activities;
  private Path backups;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void createDatabaseWithRows() throws Exception {
    database = server.createDatabase();
    server.query(database, "create table public.contacts (id int primary key, name text not null)");
    server.query(database, "insert into public.contacts values (1, 'Ada'), (2, 'Grace')");
    activities = activities(System.getenv());
    backups = temp.resolve("backups");
  }

  @Test
  void givenABackup_whenATableIsDroppedAndTheBackupRestored_itShouldBringTheRowsBack()
      throws Exception {
    DatabaseBackup backup = activities.backup(new BackupRequest(database, backups.toString(), "before-release"));
    server.query(database, "drop table public.contacts");

    RestoreResult restored = activities.restore(new RestoreRequest(database, backup.path()));

    assertThat(server.query(database, "select id, name from public.contacts order by id"))
        .containsExactly("1|Ada", "2|Grace");
    assertThat(restored).isEqualTo(new RestoreResult(backup.path(), backup.sizeBytes(), backup.sha256()));
  }

  @Test
  void givenABackup_whenItsFileIsInspected_itShouldBeAnOwnerOnlyCustomFormatDumpWithItsChecksum()
      throws Exception {
    DatabaseBackup backup = activities.backup(new BackupRequest(database, backups.toString(), "nightly"));

    Path file = Path.of(backup.path());
    assertThat(file).isEqualTo(backups.resolve("nightly.dump").toAbsolutePath());
    assertThat(backup.sizeBytes()).isEqualTo(Files.size(file));
    assertThat(backup.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    assertThat(backup.serverVersion()).startsWith("15.");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(server.run(List.of("pg_restore", "--list", file.toString())))
        .anySatisfy(line -> assertThat(line).contains("TABLE public contacts"));
  }

  @Test
  void givenABackup_whenTurnedIntoSqlAndLoadedWithPsql_itShouldRecreateTheRows() throws Exception {
    DatabaseBackup backup = activities.backup(new BackupRequest(database, backups.toString(), "portable"));
    DatabaseTarget copy = server.createDatabase();
    Path sql = temp.resolve("portable.sql");

    server.run(List.of("pg_restore", "--no-owner", "--file=" + sql, backup.path()));
    server.run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", PostgresServer.HOST,
        "-p", String.valueOf(server.port()), "-U", PostgresServer.USER, "-d", copy.database(),
        "-f", sql.toString()));

    assertThat(server.psql(copy, "select name from public.contacts order by id"))
        .containsExactly("Ada", "Grace");
  }

  @Test
  void givenAnExistingBackupWithTheSameLabel_whenBackedUpAgain_itShouldReplaceThatFileOnly()
      throws Exception {
    DatabaseBackup first = activities.backup(new BackupRequest(database, backups.toString(), "pre-migrate"));
    server.query(database, "insert into public.contacts values (3, 'Alan')");

    DatabaseBackup second = activities.backup(new BackupRequest(database, backups.toString(), "pre-migrate"));

    assertThat(second.path()).isEqualTo(first.path());
    assertThat(second.sha256()).isNotEqualTo(first.sha256());
    try (Stream<Path> files = Files.list(backups)) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly("pre-migrate.dump");
    }
  }

  @Test
  void givenARestoredBackup_whenRestoredAgain_itShouldGiveTheSameDatabase() throws Exception {
    DatabaseBackup backup = activities.backup(new BackupRequest(database, backups.toString(), "again"));
    server.query(database, "insert into public.contacts values (3, 'Alan')");
    activities.restore(new RestoreRequest(database, backup.path()));

    activities.restore(new RestoreRequest(database, backup.path()));

    assertThat(server.query(database, "select id, name from public.contacts order by id"))
        .containsExactly("1|Ada", "2|Grace");
  }

  @Test
  void givenNoPgDumpInPgBinOrOnPath_whenBackedUp_itShouldFailWithoutRetryNamingTheFix() throws Exception {
    Path emptyBin = Files.createDirectory(temp.resolve("empty-bin"));
    DatabaseActivitiesImpl withoutTools =
        activities(Map.of(PostgresClientPrograms.PG_BIN_VARIABLE, emptyBin.toString(), "PATH", temp.toString()));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> withoutTools.backup(new BackupRequest(database, backups.toString(), "x")));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("pg_dump not found on PATH: install postgresql-client")
        .contains("PG_BIN=" + emptyBin);
    assertThat(backups).doesNotExist();
  }

  @Test
  void givenAWrongPassword_whenBackedUp_itShouldFailWithoutRetryAsRejected() {
    DatabaseTarget wrong =
        new DatabaseTarget(database.host(), database.port(), database.database(), database.user(), "wrong-4711");

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.backup(new BackupRequest(wrong, backups.toString(), "x")));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).doesNotContain("wrong-4711");
  }

  @Test
  void givenALabelWithAPath_whenBackedUp_itShouldRefuseIt() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.backup(new BackupRequest(database, backups.toString(), "../escape")));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(backups).doesNotExist();
  }

  @Test
  void givenAFileThatIsNotADump_whenRestored_itShouldRefuseItAndLeaveTheDatabaseAlone() throws Exception {
    Path notADump = Files.writeString(temp.resolve("notes.dump"), "drop table public.contacts;");

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.restore(new RestoreRequest(database, notADump.toString())));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(server.query(database, "select count(*) from public.contacts")).containsExactly("2");
  }

  @Test
  void givenAMissingBackup_whenRestored_itShouldFailWithoutRetryAsNotFound() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.restore(new RestoreRequest(database, temp.resolve("gone.dump").toString())));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenAnActivityContext_whenBackedUp_itShouldHeartbeatWhilePgDumpRuns() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      List<String> heartbeats = new CopyOnWriteArrayList<>();
      environment.setActivityHeartbeatListener(String.class, heartbeats::add);
      environment.registerActivitiesImplementations(activities);
      DatabaseActivities stub =
          environment.newActivityStub(
              DatabaseActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

      DatabaseBackup backup = stub.backup(new BackupRequest(database, backups.toString(), "in-activity"));

      assertThat(Path.of(backup.path())).exists();
      assertThat(heartbeats).contains("pg_dump started");
    } finally {
      environment.close();
    }
  }

  @Test
  void givenAnActivityContext_whenTheDatabaseRefusesTheCredentials_itShouldReachTheCallerAsNonRetryable() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(activities);
      DatabaseActivities stub =
          environment.newActivityStub(
              DatabaseActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      DatabaseTarget wrong =
          new DatabaseTarget(database.host(), database.port(), database.database(), database.user(), "wrong");

      ActivityFailure failure =
          catchThrowableOfType(
              ActivityFailure.class,
              () -> stub.backup(new BackupRequest(wrong, backups.toString(), "x")));

      assertThat(failure.getCause()).isInstanceOfSatisfying(ApplicationFailure.class, cause -> {
        assertThat(cause.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
        assertThat(cause.isNonRetryable()).isTrue();
      });
    } finally {
      environment.close();
    }
  }

  private DatabaseActivitiesImpl activities(Map<String, String> environment) {
    return new DatabaseActivitiesImpl(
        new SecretStore(temp.resolve("secrets"), Clock.systemUTC()),
        new PostgresClientPrograms(environment),
        Clock.systemUTC());
  }
}
