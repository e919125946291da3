package dev.silo.workflows.database;

/**
 * Where a database is.
 *
 * @param host the host
 * @param port the port
 * @param database the database name
 * @param user the user
 * @param password the password, or null when {@code passwordRef} names it
 * @param passwordRef the stored secret that is the password, resolved by the activity from the
 *     worker's secret store; null for a target that carries its password (runs that started before
 *     secrets were passed by reference)
 */
public record DatabaseTarget(String host, int port, String database, String user, String password,
    SecretRef passwordRef) {

  /** A target that carries its password. */
  public DatabaseTarget(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, null);
  }

  /** A target whose password the activity looks up in the worker's secret store. */
  public static DatabaseTarget withStoredPassword(String host, int port, String database, String user,
      SecretRef passwordRef) {
    return new DatabaseTarget(host, port, database, user, null, passwordRef);
  }

  /** This target with its password resolved. */
  public DatabaseTarget withPassword(String resolved) {
    return new DatabaseTarget(host, port, database, user, resolved, null);
  }

  /** The URL shown to people and written to the desk: everything but the password. */
  public String displayUrl() {
    return "postgres://" + user + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseTarget[" + displayUrl() + "]";
  }
}
