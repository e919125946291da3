package dev.silo.activities.database;

import dev.silo.activities.config.SiloMigrationFiles;
import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.ApplyMigrationsRequest;
import dev.silo.workflows.database.BackupRequest;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.DatabaseBackup;
import dev.silo.workflows.database.DatabaseTarget;
import dev.silo.workflows.database.EnsureSecretsRequest;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.MintKeysRequest;
import dev.silo.workflows.database.MintSiloKeysRequest;
import dev.silo.workflows.database.PublicSiloKeys;
import dev.silo.workflows.database.RestoreRequest;
import dev.silo.workflows.database.RestoreResult;
import dev.silo.workflows.database.SecretsReady;
import dev.silo.workflows.database.SiloKeys;
import dev.silo.workflows.database.SiloSecrets;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * {@link DatabaseActivities} on the silo's PostgreSQL over JDBC, with the worker's secret store and
 * its PostgreSQL client programs.
 *
 * <p>Errors are classified once, where they happen: {@link PostgresDatabase} for JDBC, {@link
 * DatabaseBackups} for pg_dump and pg_restore. Secrets never appear in a message: targets print
 * without their password and every database message is redacted.
 */
public final class DatabaseActivitiesImpl implements DatabaseActivities {

  private final SecretStore secrets;
  private final PostgresClientPrograms programs;
  private final ApiKeyMinter minter;
  private final SiloMigrationFiles migrationFiles;

  /**
   * @param secrets where the silos' secrets are kept
   * @param programs where pg_dump and pg_restore are found
   * @param clock the time the API keys are issued at
   */
  public DatabaseActivitiesImpl(SecretStore secrets, PostgresClientPrograms programs, Clock clock) {
    this(secrets, programs, clock, SiloMigrationFiles.none());
  }

  /**
   * @param secrets where the silos' secrets are kept
   * @param programs where pg_dump and pg_restore are found
   * @param clock the time the API keys are issued at
   * @param migrationFiles where the migrations that come without their content are read
   */
  public DatabaseActivitiesImpl(SecretStore secrets, PostgresClientPrograms programs, Clock clock,
      SiloMigrationFiles migrationFiles) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.programs = Objects.requireNonNull(programs, "programs");
    this.minter = new ApiKeyMinter(Objects.requireNonNull(clock, "clock"));
    this.migrationFiles = Objects.requireNonNull(migrationFiles, "migrationFiles");
  }

  /**
   * The activities on the worker's database settings: the secrets in the state directory's {@code
   * secrets} subdirectory, the client programs found through {@value
   * PostgresClientPrograms#PG_BIN_VARIABLE} and {@code PATH}, the migrations read under the config
   * roots.
   */
  public DatabaseActivitiesImpl(DatabaseSettings settings) {
    this(settings, Clock.systemUTC());
  }

  private DatabaseActivitiesImpl(DatabaseSettings settings, Clock clock) {
    this(SecretStore.under(settings.stateDirectory(), clock),
        new PostgresClientPrograms(settings.environment().variables()), clock,
        new SiloMigrationFiles(settings.configRoots()));
  }

  @Override
  public SiloSecrets ensureSecrets(EnsureSecretsRequest request) {
    return secrets.ensure(request == null ? null : request.siloId());
  }

  @Override
  public SecretsReady prepareSecrets(EnsureSecretsRequest request) {
    String siloId = request == null ? null : request.siloId();
    return new SecretsReady(siloId, SecretStore.fingerprint(secrets.ensure(siloId)));
  }

  @Override
  public MigrationResult applyMigrations(ApplyMigrationsRequest request) {
    if (request == null || request.migrations() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "No migrations request", FailureType.INVALID_REQUEST.type());
    }
    PostgresDatabase database = new PostgresDatabase(resolved(request.target()));
    List<MigrationFile> migrations = migrationFiles.withContent(request.configDirectory(), request.migrations());
    return new MigrationPush(database, ActivityHeartbeat.current()).push(migrations, request.includeAll());
  }

  @Override
  public SiloKeys mintKeys(MintKeysRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "No key request", FailureType.INVALID_REQUEST.type());
    }
    return minter.mint(request.jwtSecret(), request.validity());
  }

  @Override
  public PublicSiloKeys mintSiloKeys(MintSiloKeysRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "No key request", FailureType.INVALID_REQUEST.type());
    }
    minter.requireValid(request.validity());
    return new PublicSiloKeys(secrets.keys(request.siloId(), request.validity(), minter).anonKey());
  }

  @Override
  public DatabaseBackup backup(BackupRequest request) {
    BackupRequest resolved = request == null || request.target() == null ? request
        : new BackupRequest(resolved(request.target()), request.directory(), request.label());
    return new DatabaseBackups(programs).backup(resolved, ActivityHeartbeat.current());
  }

  @Override
  public RestoreResult restore(RestoreRequest request) {
    RestoreRequest resolved = request == null || request.target() == null ? request
        : new RestoreRequest(resolved(request.target()), request.backupPath());
    return new DatabaseBackups(programs).restore(resolved, ActivityHeartbeat.current());
  }

  /** The target with its password from the secret store when it names one rather than carries it. */
  private DatabaseTarget resolved(DatabaseTarget target) {
    if (target == null || target.passwordRef() == null) {
      return target;
    }
    return target.withPassword(secrets.resolve(target.passwordRef()));
  }
}
