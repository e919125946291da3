package dev.silo.workflows.database;

/**
 * Where an environment's database is. The password is never part of a definition: only the name of
 * the worker environment variable holding it, so that definitions and workflow histories hold no
 * secret.
 *
 * @param host the host
 * @param port the port; 5432 when not written
 * @param database the database name
 * @param user the user deployments connect as
 * @param passwordEnv the name of the worker environment variable holding the user's password
 */
public record EnvironmentDatabase(
    String host, int port, String database, String user, String passwordEnv) {}
