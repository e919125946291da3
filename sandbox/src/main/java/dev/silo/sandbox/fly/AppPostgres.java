package dev.silo.sandbox.fly;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

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
  private final Path dataDirectory;
  private String password;

  private AppPostgres(EmbeddedPostgres server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Initialises a cluster in {@code directory}, seeds it and stops it cleanly, for {@link
   * #fromTemplate} to copy.
   */
  static void initialiseTemplate(Path directory) throws IOException {
    try (EmbeddedPostgres server = EmbeddedPostgres.builder()
            .setPort(0)
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .start();
        Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(SUPABASE_BASELINE);
    } catch (SQLException e) {
      throw new IllegalStateException("seeding the embedded PostgreSQL failed: " + e.getMessage(), e);
    }
  }

  /**
   * Starts a server on a copy of a template's data directory: the seeded baseline without an
   * initdb, and open to loopback connections until {@link #setPassword} requires a password (a
   * machine config without {@code POSTGRES_PASSWORD} leaves it so).
   */
  static AppPostgres fromTemplate(Path template) {
    Path dataDirectory = null;
    try {
      dataDirectory = Files.createTempDirectory("silo-fly-pg");
      copy(template, dataDirectory);
      EmbeddedPostgres server = EmbeddedPostgres.builder()
          .setPort(0)
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .start();
      return new AppPostgres(server, dataDirectory);
    } catch (IOException | RuntimeException e) {
      if (dataDirectory != null) {
        deleteDirectory(dataDirectory);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", io);
      }
      throw (RuntimeException) e;
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
    } finally {
      deleteDirectory(dataDirectory);
    }
  }

  /** Deletes a data directory and everything in it. */
  static void deleteDirectory(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException e) {
      // Already gone: nothing to delete.
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + directory, e);
    }
  }

  /** Copies a data directory with its permissions, which PostgreSQL checks. */
  private static void copy(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (!copy.equals(target)) {
          Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
