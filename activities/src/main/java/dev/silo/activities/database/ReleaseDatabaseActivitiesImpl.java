package dev.silo.activities.database;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.activities.release.ReleaseFiles;
import dev.silo.activities.release.ReleaseSettings;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.BackupRequest;
import dev.silo.workflows.database.DatabaseBackup;
import dev.silo.workflows.database.DatabaseTarget;
import dev.silo.workflows.database.EnvironmentBackupRequest;
import dev.silo.workflows.database.EnvironmentDatabase;
import dev.silo.workflows.database.EnvironmentMigrateRequest;
import dev.silo.workflows.database.EnvironmentRestoreRequest;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.ReleaseDatabaseActivities;
import dev.silo.workflows.database.RestoreRequest;
import dev.silo.workflows.database.RestoreResult;
import dev.silo.workflows.database.RlsTestRequest;
import dev.silo.workflows.database.RlsTestResult;
import dev.silo.workflows.database.SqlRequest;
import dev.silo.workflows.database.SqlResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ReleaseDatabaseActivities} on an environment's PostgreSQL: the same backups, restores and
 * migrations as {@link DatabaseActivitiesImpl}, plus SQL steps and row-level-security tests.
 *
 * <p>The definition names the variable holding the password, and this class reads it from the
 * worker's environment, so a password never crosses workflow history. Errors are classified where
 * they happen: {@link PostgresDatabase} for JDBC, {@link DatabaseBackups} for pg_dump and
 * pg_restore, {@link SqlTransaction} and {@link RlsProbe} for the statements they run.
 */
public final class ReleaseDatabaseActivitiesImpl implements ReleaseDatabaseActivities {

  /** The directory under the state directory that receives the backups. */
  static final String BACKUP_DIRECTORY = "backups";

  private final Path backups;
  private final Map<String, String> workerEnvironment;
  private final PostgresClientPrograms programs;
  private final ReleaseFiles files;

  /**
   * The activities on the worker's settings: backups under the state directory, the password
   * variables, {@value PostgresClientPrograms#PG_BIN_VARIABLE} and {@code PATH} looked up in its
   * environment, the files of the release read from its repository.
   */
  public ReleaseDatabaseActivitiesImpl(DatabaseSettings database, ReleaseSettings release) {
    this(database.stateDirectory(), database.environment().variables(),
        new ReleaseFiles(release.repositoryTemplate().orElse(null), release.workspaces()));
  }

  /**
   * @param files where the files of {@code migrate} and {@code sql} steps that carry no content are
   *     read from: the release's repository at its commit
   * @param stateDirectory the worker's state directory; backups go to its {@value
   *     #BACKUP_DIRECTORY} subdirectory, created when missing
   * @param workerEnvironment where the password variables, {@value
   *     PostgresClientPrograms#PG_BIN_VARIABLE} and {@code PATH} are read; the worker passes its own
   *     environment
   */
  public ReleaseDatabaseActivitiesImpl(Path stateDirectory, Map<String, String> workerEnvironment, ReleaseFiles files) {
    this.files = Objects.requireNonNull(files, "files");
    this.backups = Objects.requireNonNull(stateDirectory, "stateDirectory").resolve(BACKUP_DIRECTORY);
    this.workerEnvironment = Map.copyOf(workerEnvironment);
    this.programs = new PostgresClientPrograms(workerEnvironment);
  }

  @Override
  public DatabaseBackup backup(EnvironmentBackupRequest request) {
    if (request == null) {
      throw invalidRequest("No backup request");
    }
    return new DatabaseBackups(programs)
        .backup(
            new BackupRequest(target(request.database()), backups.toString(), request.label()),
            ActivityHeartbeat.current());
  }

  @Override
  public RestoreResult restore(EnvironmentRestoreRequest request) {
    if (request == null) {
      throw invalidRequest("No restore request");
    }
    return new DatabaseBackups(programs)
        .restoreExactly(
            new RestoreRequest(target(request.database()), request.backupPath()),
            ActivityHeartbeat.current());
  }

  @Override
  public MigrationResult migrate(EnvironmentMigrateRequest request) {
    if (request == null || request.migrations() == null) {
      throw invalidRequest("No migrations request");
    }
    List<MigrationFile> migrations = files.migrations(request.project(), request.commit(), request.directory(),
        request.migrations());
    PostgresDatabase database = new PostgresDatabase(target(request.database()));
    return new MigrationPush(database, ActivityHeartbeat.current()).push(migrations, false);
  }

  @Override
  public SqlResult runSql(SqlRequest request) {
    if (request == null || (request.sql() == null && request.file() == null)) {
      throw invalidRequest("No SQL request");
    }
    String sql = request.sql() != null ? request.sql() : files.sql(request.project(), request.commit(), request.file());
    PostgresDatabase database = new PostgresDatabase(target(request.database()));
    String source = request.source() == null || request.source().isBlank() ? "inline" : request.source();
    return new SqlTransaction(database, ActivityHeartbeat.current()).run(source, sql);
  }

  @Override
  public RlsTestResult rlsTest(RlsTestRequest request) {
    RlsProbe.validate(request);
    return new RlsProbe(new PostgresDatabase(target(request.database()))).run(request);
  }

  /**
   * The database with its password from the worker's environment.
   *
   * @throws ApplicationFailure {@code INVALID_CONFIG} (not retried) naming the variable when the
   *     worker does not set it; the message never holds a value
   */
  private DatabaseTarget target(EnvironmentDatabase database) {
    if (database == null) {
      throw invalidRequest("No database");
    }
    String shown =
        new DatabaseTarget(
                database.host(), database.port(), database.database(), database.user(), null)
            .displayUrl();
    String variable = database.passwordEnv();
    if (variable == null || variable.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The database " + shown + " names no variable holding its password (password_env)",
          FailureType.INVALID_CONFIG.type());
    }
    String password = workerEnvironment.get(variable);
    if (password == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The worker has no environment variable " + variable + " holding the password of "
              + shown + "; set it in the worker's environment and restart the worker",
          FailureType.INVALID_CONFIG.type());
    }
    return new DatabaseTarget(
        database.host(), database.port(), database.database(), database.user(), password);
  }

  private static ApplicationFailure invalidRequest(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
