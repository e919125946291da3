package dev.silo.sandbox.fly;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The real PostgreSQL behind a sandbox pg app: an embedded server on a loopback port, seeded with
 * the part of the Supabase image's baseline that migrations written for Supabase rely on (the API
 * roles, {@code auth.users} and {@code auth.uid()}), and reachable over TCP only with the password
 * the app's machine config gives user {@code postgres}.
 */
final class AppPostgres implements AutoCloseable {

  /** What the {@code supabase/postgres} image creates before any migration runs. */
  private static final String SUPABASE_BASELINE = """
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
          CREATE ROLE anon NOLOGIN NOINHERIT;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
          CREATE ROLE authenticated NOLOGIN NOINHERIT;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
          CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator') THEN
          CREATE ROLE authenticator LOGIN NOINHERIT;
        END IF;
      END
      $$;
      GRANT anon, authenticated, service_role TO authenticator;
      CREATE SCHEMA IF NOT EXISTS auth;
      GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
      CREATE TABLE IF NOT EXISTS auth.users (id uuid PRIMARY KEY, email text);
      CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid
        LANGUAGE sql STABLE
        AS $fn$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $fn$;
      GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
      """;

  /**
   * Unix-socket connections stay trusted for the server's own tooling; every TCP connection must
   * bring the password, as it must on Fly.
   */
  private static final String PASSWORD_REQUIRED = """
      local all all trust
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private final EmbeddedPostgres server;
  private String password;

  private AppPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Starts a server, seeds it and sets the {@code postgres} password.
   *
   * @param password the password of user {@code postgres}, or null to leave the server open to
   *     loopback connections without one (a machine config without {@code POSTGRES_PASSWORD})
   */
  static AppPostgres start(String password) {
    try {
      Path dataDirectory = Files.createTempDirectory("silo-fly-pg");
      EmbeddedPostgres server = EmbeddedPostgres.builder()
          .setPort(0)
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(true)
          .start();
      AppPostgres postgres = new AppPostgres(server);
      try {
        try (Connection connection = server.getPostgresDatabase().getConnection();
            Statement statement = connection.createStatement()) {
          statement.execute(SUPABASE_BASELINE);
        }
        postgres.setPassword(password);
        return postgres;
      } catch (SQLException | RuntimeException e) {
        postgres.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    } catch (SQLException e) {
      throw new IllegalStateException("seeding the embedded PostgreSQL failed: " + e.getMessage(), e);
    }
  }

  int port() {
    return server.getPort();
  }

  /**
   * Sets the password of {@code postgres} (a machine updated with a new {@code POSTGRES_PASSWORD}),
   * then requires it on every TCP connection.
   */
  synchronized void setPassword(String newPassword) throws SQLException {
    if (newPassword == null || newPassword.equals(password)) {
      return;
    }
    try (Connection connection = connect();
        PreparedStatement remember = connection.prepareStatement("SELECT set_config('silo.new_password', ?, false)");
        Statement statement = connection.createStatement()) {
      // The password travels as a bound parameter and is quoted by format(), never spliced into SQL.
      remember.setString(1, newPassword);
      remember.execute();
      statement.execute("DO $$ BEGIN EXECUTE format('ALTER USER postgres PASSWORD %L',"
          + " current_setting('silo.new_password')); END $$");
      statement.execute("SELECT set_config('silo.new_password', '', false)");
      if (password == null) {
        requirePasswords(connection);
      }
    }
    password = newPassword;
  }

  private Connection connect() throws SQLException {
    if (password == null) {
      return server.getPostgresDatabase().getConnection();
    }
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", properties);
  }

  private static void requirePasswords(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        var result = statement.executeQuery("SHOW hba_file")) {
      result.next();
      Files.writeString(Path.of(result.getString(1)), PASSWORD_REQUIRED);
      statement.execute("SELECT pg_reload_conf()");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write pg_hba.conf", e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not stop", e);
    }
  }
}
