package dev.silo.worker.demo;

import dev.silo.sandbox.release.DemoHealthEndpoints;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The release demo's PostgreSQL: one embedded server with one database per environment, {@code
 * expenses_<environment>}, which every TCP client reaches only with the password of user {@value
 * #USER}, as a deployed database is reached.
 */
final class DemoDatabases implements DemoHealthEndpoints.Databases, AutoCloseable {

  /** The user the environment files name. */
  static final String USER = "deployer";

  static final String HOST = "127.0.0.1";

  /** Unix-socket connections stay trusted for the server's own tooling; TCP needs the password. */
  private static final String PASSWORD_REQUIRED = """
      local all all trust
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private final EmbeddedPostgres server;
  private final String password;

  /**
   * What an environment's database holds.
   *
   * @param migrations the versions in {@code supabase_migrations.schema_migrations}, in order
   * @param expenses the rows of {@code expenses}; empty when the table does not exist
   */
  record Contents(List<String> migrations, Optional<Long> expenses) {}

  private DemoDatabases(EmbeddedPostgres server, String password) {
    this.server = server;
    this.password = password;
  }

  /** Starts the server under {@code dataDirectory} and creates the user and one database per environment. */
  static DemoDatabases start(Path dataDirectory, List<String> environments) {
    EmbeddedPostgres server;
    try {
      server = EmbeddedPostgres.builder()
          .setPort(0)
          .setDataDirectory(Files.createDirectories(dataDirectory))
          .setCleanDataDirectory(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
    DemoDatabases databases = new DemoDatabases(server, randomPassword());
    try {
      databases.prepare(environments);
      return databases;
    } catch (SQLException | IOException | RuntimeException e) {
      databases.close();
      throw new IllegalStateException("preparing the demo's databases failed: " + e.getMessage(), e);
    }
  }

  /**
   * The user is a superuser because the example's first migration creates the roles {@code admin},
   * {@code approver} and {@code employee}, the RLS tests {@code set role} to each, and a restore
   * replaces objects the migrations created.
   */
  private void prepare(List<String> environments) throws SQLException, IOException {
    try (Connection connection = server.getPostgresDatabase().getConnection();
        PreparedStatement remember = connection.prepareStatement("select set_config('demo.password', ?, false)");
        Statement statement = connection.createStatement()) {
      // The password travels as a bound parameter and is quoted by format(), never spliced into SQL.
      remember.setString(1, password);
      remember.execute();
      statement.execute("do $$ begin execute format('create role " + USER + " login superuser password %L',"
          + " current_setting('demo.password')); end $$");
      statement.execute("select set_config('demo.password', '', false)");
      for (String environment : environments) {
        statement.execute("create database " + database(environment) + " owner " + USER);
      }
      try (ResultSet hba = statement.executeQuery("show hba_file")) {
        hba.next();
        Files.writeString(Path.of(hba.getString(1)), PASSWORD_REQUIRED);
      }
      statement.execute("select pg_reload_conf()");
    }
  }

  /** The database of an environment. */
  static String database(String environment) {
    return "expenses_" + environment;
  }

  @Override
  public String name(String environment) {
    return database(environment);
  }

  int port() {
    return server.getPort();
  }

  /** The password of {@value #USER}; the worker gets it in each environment's password variable. */
  String password() {
    return password;
  }

  @Override
  public boolean answers(String environment) {
    try (Connection connection = connect(environment);
        Statement statement = connection.createStatement();
        ResultSet one = statement.executeQuery("select 1")) {
      return one.next() && one.getInt(1) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public Optional<Boolean> expensesRowSecurity(String environment) throws SQLException {
    try (Connection connection = connect(environment);
        Statement statement = connection.createStatement();
        ResultSet table = statement.executeQuery(
            "select relrowsecurity from pg_class where oid = to_regclass('public.expenses')")) {
      return table.next() ? Optional.of(table.getBoolean(1)) : Optional.empty();
    }
  }

  /** The applied migrations and the expenses of an environment's database. */
  Contents contents(String environment) throws SQLException {
    try (Connection connection = connect(environment); Statement statement = connection.createStatement()) {
      List<String> migrations = new ArrayList<>();
      if (exists(statement, "supabase_migrations.schema_migrations")) {
        try (ResultSet rows = statement.executeQuery(
            "select version from supabase_migrations.schema_migrations order by version")) {
          while (rows.next()) {
            migrations.add(rows.getString(1));
          }
        }
      }
      Optional<Long> expenses = Optional.empty();
      if (exists(statement, "public.expenses")) {
        try (ResultSet count = statement.executeQuery("select count(*) from public.expenses")) {
          count.next();
          expenses = Optional.of(count.getLong(1));
        }
      }
      return new Contents(List.copyOf(migrations), expenses);
    }
  }

  private static boolean exists(Statement statement, String table) throws SQLException {
    try (ResultSet found = statement.executeQuery("select to_regclass('" + table + "') is not null")) {
      found.next();
      return found.getBoolean(1);
    }
  }

  private Connection connect(String environment) throws SQLException {
    Properties login = new Properties();
    login.setProperty("user", USER);
    login.setProperty("password", password);
    login.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + port() + "/" + database(environment), login);
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
