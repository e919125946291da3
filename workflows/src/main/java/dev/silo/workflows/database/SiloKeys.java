package dev.silo.workflows.database;

/**
 * @param anonKey the public anon key (it ships in the front end)
 * @param serviceRoleKey the service_role key, a secret
 */
public record SiloKeys(String anonKey, String serviceRoleKey) {

  @Override
  public String toString() {
    return "SiloKeys[anonKey=" + anonKey + ", serviceRoleKey=***]";
  }
}
