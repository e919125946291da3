package dev.silo.workflows.database;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The silo's PostgreSQL: its secrets, supabase-compatible migrations and API keys. */
@ActivityInterface
public interface DatabaseActivities {

  /**
   * Returns the silo's database password and JWT secret, generating them the first time and keeping
   * them in the worker's secret store. Idempotent: the same silo always gets the same secrets.
   */
  @ActivityMethod
  SiloSecrets ensureSecrets(EnsureSecretsRequest request);

  /**
   * Applies the pending migrations as {@code supabase db push} does: each file in one transaction
   * with its row in {@code supabase_migrations.schema_migrations}. Idempotent: applied versions are
   * skipped, so a retry applies only what is still pending.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_CONFIG} (not retried) when the
   *     remote history has a version missing locally, or a local version older than the newest
   *     applied one, without {@code includeAll}, or when a migration's SQL fails; {@code
   *     VENDOR_UNAVAILABLE} (retried) when the database cannot be reached
   */
  @ActivityMethod
  MigrationResult applyMigrations(ApplyMigrationsRequest request);

  /**
   * Mints the anon and service_role keys: HS256 JWTs signed with the silo's JWT secret, claims
   * {@code role}, {@code iss = supabase}, {@code iat}, {@code exp}. No side effect.
   */
  @ActivityMethod
  SiloKeys mintKeys(MintKeysRequest request);
}
