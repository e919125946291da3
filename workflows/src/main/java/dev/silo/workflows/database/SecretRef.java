package dev.silo.workflows.database;

import java.util.Map;

/**
 * Names one of a silo's secrets without holding it. Activities that need the value look it up in
 * the worker's secret store, so the value itself never crosses workflow history, encrypted or not.
 *
 * @param siloId the silo, {@code {client}-{app}}
 * @param name which secret: {@value #DATABASE_PASSWORD}, {@value #JWT_SECRET} or {@value
 *     #SERVICE_ROLE_KEY}
 */
public record SecretRef(String siloId, String name) {

  /** The {@code postgres} user's password. */
  public static final String DATABASE_PASSWORD = "databasePassword";

  /** The secret the API keys are signed with. */
  public static final String JWT_SECRET = "jwtSecret";

  /** The service_role key, once the silo's keys have been minted. */
  public static final String SERVICE_ROLE_KEY = "serviceRoleKey";

  /** The silo's database password. */
  public static SecretRef databasePassword(String siloId) {
    return new SecretRef(siloId, DATABASE_PASSWORD);
  }

  /** The silo's JWT secret. */
  public static SecretRef jwtSecret(String siloId) {
    return new SecretRef(siloId, JWT_SECRET);
  }

  /**
   * The secret environment every Fly machine of the silo gets, by reference: what the deployment
   * passes and what the drift check hashes the expected machine configs with.
   */
  public static Map<String, SecretRef> machineEnvironment(String siloId) {
    return Map.of("POSTGRES_PASSWORD", databasePassword(siloId), "JWT_SECRET", jwtSecret(siloId));
  }
}
