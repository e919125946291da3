package dev.silo.workflows.database;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The silo's PostgreSQL: its secrets, supabase-compatible migrations, API keys, backups. */
@ActivityInterface
public interface DatabaseActivities {

  /**
   * Makes sure the silo's database password and JWT secret are in the worker's secret store,
   * generating them the first time, and answers only that they are there: the secrets themselves
   * never leave the worker. Activities that need them take a {@link SecretRef}. Idempotent: the
   * same silo always gets the same secrets, also when several calls for it run at once.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link #ensureSecrets}
   */
  @ActivityMethod
  SecretsReady prepareSecrets(EnsureSecretsRequest request);

  /**
   * Returns the silo's database password and JWT secret, generating them the first time and keeping
   * them in the worker's secret store. Idempotent: the same silo always gets the same secrets, also
   * when several calls for it run at once. Served only for runs that started before secrets were
   * passed by reference ({@link #prepareSecrets}); new runs never call it, since its result puts the
   * secrets in history.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a silo
   *     id that is not {@code {client}-{app}}; {@code INVALID_CONFIG} (not retried) when the stored
   *     file is unreadable as secrets (it is never regenerated: the silo's database already uses
   *     it); a file-system error is retried
   */
  @ActivityMethod
  SiloSecrets ensureSecrets(EnsureSecretsRequest request);

  /**
   * Applies the pending migrations as {@code supabase db push} does: each file in one transaction
   * with its row in {@code supabase_migrations.schema_migrations}. A target whose password is a
   * {@link SecretRef} is connected to with the password from the worker's secret store. Idempotent: applied versions are
   * skipped, so a retry applies only what is still pending.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_CONFIG} (not retried) when the
   *     remote history has a version missing locally, or a local version older than the newest
   *     applied one, without {@code includeAll}, or when a migration's SQL fails (the file is rolled
   *     back, its history row is not written; earlier files stay applied); {@code VENDOR_REJECTED}
   *     (not retried) when the database refuses the credentials; {@code VENDOR_UNAVAILABLE}
   *     (retried) when the database cannot be reached or the connection breaks
   */
  @ActivityMethod
  MigrationResult applyMigrations(ApplyMigrationsRequest request);

  /**
   * Mints the anon and service_role keys: HS256 JWTs signed with the silo's JWT secret, claims
   * {@code role}, {@code iss = supabase}, {@code iat}, {@code exp}. No side effect. Served only for
   * runs that started before secrets were passed by reference ({@link #mintSiloKeys}).
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a
   *     secret shorter than 32 characters (self-hosted Supabase refuses those) or a validity that is
   *     not positive
   */
  @ActivityMethod
  SiloKeys mintKeys(MintKeysRequest request);

  /**
   * Mints the silo's anon and service_role keys as {@link #mintKeys} does, with the JWT secret from
   * the worker's secret store, and keeps both there; answers only the public anon key. Idempotent:
   * the stored keys are answered again while at least half of {@code validity} is left of them, so
   * a retry or a re-run gets the same keys.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a
   *     validity that is not positive or a silo id that is not {@code {client}-{app}}; {@code
   *     NOT_FOUND} (not retried) when the silo has no secrets in the store ({@link #prepareSecrets}
   *     was not called on this worker's store); {@code INVALID_CONFIG} (not retried) when its file
   *     is unreadable as secrets
   */
  @ActivityMethod
  PublicSiloKeys mintSiloKeys(MintSiloKeysRequest request);

  /**
   * Dumps the database with {@code pg_dump --format=custom --no-owner} to {@code
   * <directory>/<label>.dump} on the worker, written whole or not at all. Idempotent: the same
   * label overwrites the same file, so a retry leaves one complete backup. Heartbeats while pg_dump
   * runs.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a bad
   *     label or directory; {@code NOT_FOUND} (not retried) when pg_dump is on neither PG_BIN nor
   *     PATH; {@code VENDOR_REJECTED} (not retried) when the database refuses the credentials;
   *     {@code VENDOR_UNAVAILABLE} (retried) when it cannot be reached; {@code DEPLOY_FAILED} (not
   *     retried) when pg_dump fails otherwise, with the end of its output
   */
  @ActivityMethod
  DatabaseBackup backup(BackupRequest request);

  /**
   * Restores a backup with {@code pg_restore --clean --if-exists --no-owner --single-transaction}:
   * the dumped objects are dropped and recreated, all or nothing. Repeatable: restoring the same
   * file again gives the same database. Heartbeats while pg_restore runs.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOT_FOUND} (not retried) when the file or
   *     pg_restore is missing; {@code INVALID_REQUEST} (not retried) when the file is not a pg_dump
   *     custom-format archive; {@code VENDOR_REJECTED}, {@code VENDOR_UNAVAILABLE} and {@code
   *     DEPLOY_FAILED} as for {@link #backup}
   */
  @ActivityMethod
  RestoreResult restore(RestoreRequest request);
}
