package dev.silo.workflows.database;

/**
 * A silo's runtime secrets. They cross workflow history only through the encrypting codec and are
 * masked everywhere they are shown.
 *
 * @param databasePassword the {@code postgres} user's password
 * @param jwtSecret the secret the API keys are signed with
 */
public record SiloSecrets(String databasePassword, String jwtSecret) {

  @Override
  public String toString() {
    return "SiloSecrets[databasePassword=***, jwtSecret=***]";
  }
}
