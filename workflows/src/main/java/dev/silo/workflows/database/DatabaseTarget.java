package dev.silo.workflows.database;

/**
 * Where a database is.
 *
 * @param host the host
 * @param port the port
 * @param database the database name
 * @param user the user
 * @param password the password
 */
public record DatabaseTarget(String host, int port, String database, String user, String password) {

  /** The URL shown to people and written to the desk: everything but the password. */
  public String displayUrl() {
    return "postgres://" + user + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseTarget[" + displayUrl() + "]";
  }
}
