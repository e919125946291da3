package dev.silo.workflows.database;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The database steps of a release pipeline, against an environment's database. The password is
 * read on the worker from the variable {@link EnvironmentDatabase}
 * names, so no password crosses workflow history.
 *
 * <p>Common failures, for every method: {@code INVALID_CONFIG} (not retried) when the password
 * variable is not set on the worker; {@code VENDOR_REJECTED} (not retried) when the database refuses
 * the credentials; {@code VENDOR_UNAVAILABLE} (retried) when it cannot be reached or the connection
 * breaks.
 *
 * <p>Activity types carry the prefix {@code Release} ({@code ReleaseBackup}, ...), so that a worker
 * serves them beside {@link DatabaseActivities}, whose method names they share.
 */
@ActivityInterface(namePrefix = "Release")
public interface ReleaseDatabaseActivities {

  /**
   * Dumps the database as {@link DatabaseActivities#backup} does, to {@code
   * <SILO_STATE_DIR>/backups/<label>.dump}. Idempotent: the same label overwrites the same file.
   * Heartbeats while pg_dump runs.
   */
  @ActivityMethod
  DatabaseBackup backup(EnvironmentBackupRequest request);

  /**
   * Makes the database exactly what the backup holds, as a rollback needs: in one transaction, the
   * schemas the deployer may drop are dropped with everything made since the backup (tables, the
   * migration history), then the backup is loaded with psql. All or nothing, and repeatable.
   * Schemas owned by roles the deployer does not belong to are left as they are. Heartbeats while
   * pg_restore and psql run.
   *
   * @throws io.temporal.failure.ApplicationFailure also {@code NOT_FOUND} (not retried) when the
   *     file, pg_restore or psql is missing; {@code DEPLOY_FAILED} (not retried) when a statement
   *     fails, the database then being as it was
   */
  @ActivityMethod
  RestoreResult restore(EnvironmentRestoreRequest request);

  /**
   * Applies the pending migrations as {@link DatabaseActivities#applyMigrations} does. Idempotent:
   * applied versions are skipped. A migration that carries no SQL is read from the project's
   * repository at the request's commit, on the worker, and checked against its hash.
   *
   * @throws io.temporal.failure.ApplicationFailure also {@code INVALID_CONFIG} (not retried) when a
   *     migration's SQL fails or the history disagrees with the files, as there, or when a file read
   *     from the commit is not the one prepared
   */
  @ActivityMethod
  MigrationResult migrate(EnvironmentMigrateRequest request);

  /**
   * Runs the statements in one transaction; those of a file are read from the project's repository
   * at the request's commit and checked against the file's hash, as for {@link #migrate}. Not idempotent in general: a retry after a lost answer
   * runs them again, so {@code sql} steps should be written to be repeatable ({@code create or
   * replace}, {@code if not exists}).
   *
   * @throws io.temporal.failure.ApplicationFailure also {@code DEPLOY_FAILED} (not retried) when a
   *     statement fails, naming the source and the statement's line; nothing of the transaction stays
   */
  @ActivityMethod
  SqlResult runSql(SqlRequest request);

  /**
   * Runs the statement as the role with the JWT claims set in {@code request.jwt.claims}, in a
   * transaction that is always rolled back, and compares what it may see or do with the
   * expectation. No side effect.
   *
   * @return the outcome; an expectation not met is a result with {@code passed} false, never a
   *     failure
   * @throws io.temporal.failure.ApplicationFailure also {@code INVALID_REQUEST} (not retried) for a
   *     role name that is not an identifier or a request expecting both rows and a denial
   */
  @ActivityMethod
  RlsTestResult rlsTest(RlsTestRequest request);
}
