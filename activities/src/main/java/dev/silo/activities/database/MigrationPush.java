package dev.silo.activities.database;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.MigrationResult;
import io.temporal.failure.ApplicationFailure;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code supabase db push} over JDBC: each pending file runs in one transaction together with its
 * row in {@code supabase_migrations.schema_migrations}, so a file is either applied and recorded or
 * neither. The push holds a session advisory lock, so two pushes to one database at the same time
 * apply each file once: the second one waits, then finds the files in the history.
 */
final class MigrationPush {

  /**
   * The advisory lock a push holds: "silomigr" in ASCII. Only pushes from this project take it;
   * the Supabase CLI takes none.
   */
  static final long LOCK_KEY = 0x73696c6f6d696772L;

  /** How long a push waits for another one to finish before it fails (and is retried). */
  private static final long LOCK_WAIT_NANOS = Duration.ofMinutes(5).toNanos();

  /** Each wait for the lock is this short, so the activity heartbeats in between. */
  private static final String LOCK_ATTEMPT_TIMEOUT = "2s";

  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final String UNDEFINED_TABLE = "42P01";

  /** The CLI's DDL ({@code pkg/migration/history.go}), so both agree on the table. */
  private static final List<String> CREATE_HISTORY_TABLE =
      List.of(
          "SET LOCAL lock_timeout = '4s'",
          "CREATE SCHEMA IF NOT EXISTS supabase_migrations",
          "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations"
              + " (version text NOT NULL PRIMARY KEY)",
          "ALTER TABLE supabase_migrations.schema_migrations"
              + " ADD COLUMN IF NOT EXISTS statements text[]",
          "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text");

  private static final String LIST_VERSIONS =
      "SELECT version FROM supabase_migrations.schema_migrations ORDER BY version COLLATE \"C\"";

  private static final String INSERT_VERSION =
      "INSERT INTO supabase_migrations.schema_migrations(version, name, statements)"
          + " VALUES(?, ?, ?)";

  private static final Logger log = LoggerFactory.getLogger(MigrationPush.class);

  private final PostgresDatabase database;
  private final ActivityHeartbeat heartbeat;

  MigrationPush(PostgresDatabase database, ActivityHeartbeat heartbeat) {
    this.database = database;
    this.heartbeat = heartbeat;
  }

  /** A pending file, split and checked before anything is applied. */
  private record PreparedMigration(MigrationFile file, List<SqlScript.Statement> statements) {}

  MigrationResult push(List<MigrationFile> local, boolean includeAll) {
    Connection connection = database.connect();
    try {
      lock(connection);
      try {
        MigrationPlan plan = MigrationPlan.of(local, readHistory(connection), includeAll);
        List<PreparedMigration> pending = plan.pending().stream().map(MigrationPush::prepare).toList();
        if (!pending.isEmpty()) {
          createHistoryTable(connection);
        }
        List<String> applied = new ArrayList<>();
        for (PreparedMigration migration : pending) {
          heartbeat.beat("applying " + migration.file().fileName());
          apply(connection, migration, applied);
          applied.add(migration.file().version());
          log.info("Applied migration {} to {}", migration.file().fileName(), database.name());
        }
        return new MigrationResult(applied, plan.alreadyApplied());
      } finally {
        unlock(connection);
      }
    } finally {
      closeQuietly(connection);
    }
  }

  private void lock(Connection connection) {
    long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
    execute(connection, "SET lock_timeout = '" + LOCK_ATTEMPT_TIMEOUT + "'", "set the lock timeout on");
    while (true) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
        break;
      } catch (SQLException e) {
        if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
          throw database.failure("lock the migration history of", e, FailureType.VENDOR_REJECTED);
        }
        if (System.nanoTime() - deadline > 0) {
          throw ApplicationFailure.newFailure(
              "Another push has been applying migrations to " + database.name()
                  + " for 5 minutes (it holds advisory lock " + LOCK_KEY + ")",
              FailureType.VENDOR_UNAVAILABLE.type());
        }
        heartbeat.beat("waiting for another push to " + database.name());
      }
    }
    execute(connection, "RESET lock_timeout", "reset the lock timeout on");
  }

  private void unlock(Connection connection) {
    // A broken connection has already released the lock with its session.
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
    } catch (SQLException e) {
      log.debug("Could not release the advisory lock on {}: {}", database.name(), e.getMessage());
    }
  }

  private List<String> readHistory(Connection connection) {
    List<String> versions = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(LIST_VERSIONS)) {
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
    } catch (SQLException e) {
      // As the CLI: without the table, the database has no migrations yet.
      if (UNDEFINED_TABLE.equals(e.getSQLState())) {
        return List.of();
      }
      throw database.failure("read the migration history of", e, FailureType.VENDOR_REJECTED);
    }
    // The same order MigrationPlan compares in, whatever the database's collation.
    versions.sort(String::compareTo);
    return versions;
  }

  private void createHistoryTable(Connection connection) {
    try {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String ddl : CREATE_HISTORY_TABLE) {
          statement.execute(ddl);
        }
      }
      connection.commit();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      rollbackQuietly(connection);
      throw database.failure("create the migration history table in", e, FailureType.VENDOR_REJECTED);
    }
  }

  private void apply(Connection connection, PreparedMigration migration, List<String> appliedBefore) {
    MigrationFile file = migration.file();
    List<SqlScript.Statement> statements = migration.statements();
    // As the CLI: settings a previous file changed (search_path, role) do not leak into this one.
    execute(connection, "RESET ALL", "reset the session before " + file.fileName() + " on");
    int index = 0;
    try {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.setEscapeProcessing(false);
        for (; index < statements.size(); index++) {
          SqlScript.Statement sql = statements.get(index);
          // Restated transaction control is recorded in the history like the rest, but not run.
          if (TransactionControl.of(sql) != TransactionControl.REDUNDANT) {
            statement.execute(sql.sql());
          }
        }
      }
      try (PreparedStatement insert = connection.prepareStatement(INSERT_VERSION)) {
        Array array =
            connection.createArrayOf(
                "text", statements.stream().map(SqlScript.Statement::sql).toArray());
        insert.setString(1, file.version());
        insert.setString(2, file.name());
        insert.setArray(3, array);
        insert.executeUpdate();
      }
      connection.commit();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      rollbackQuietly(connection);
      if (PostgresDatabase.isTransient(e)) {
        throw database.failure("apply " + file.fileName() + " to", e, FailureType.INVALID_CONFIG);
      }
      throw ApplicationFailure.newNonRetryableFailure(
          failedMigrationMessage(file, statements, index, e, appliedBefore),
          FailureType.INVALID_CONFIG.type());
    }
  }

  private String failedMigrationMessage(
      MigrationFile file,
      List<SqlScript.Statement> statements,
      int index,
      SQLException e,
      List<String> appliedBefore) {
    StringBuilder message = new StringBuilder("Migration ").append(file.fileName()).append(" failed ");
    SqlScript.Statement failed = index < statements.size() ? statements.get(index) : null;
    int position = 0;
    if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      position = server.getPosition();
    }
    if (failed == null) {
      message.append("while recording it in supabase_migrations.schema_migrations");
    } else {
      message.append("at statement ").append(index + 1).append(" of ").append(statements.size())
          .append(position > 0 ? " (" + failed.locate(position) + ")" : " (line " + failed.line() + ")");
    }
    message.append(": ").append(database.describe(e));
    if (failed != null && position > 0) {
      message.append("\n  ").append(database.redact(failed.lineAt(position)));
    }
    message.append("\nThe file was rolled back and is not in the migration history.");
    if (!appliedBefore.isEmpty()) {
      message.append(" Applied before it by this push: ").append(String.join(", ", appliedBefore))
          .append('.');
    }
    return message.toString();
  }

  /**
   * Splits a file and refuses transaction control that would break "one file, one transaction":
   * an early commit, a rollback, a transaction with its own modes.
   */
  private static PreparedMigration prepare(MigrationFile file) {
    List<SqlScript.Statement> statements = SqlScript.split(file.sql());
    for (SqlScript.Statement statement : statements) {
      if (TransactionControl.of(statement) == TransactionControl.BREAKING) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Migration " + file.fileName() + " line " + statement.line() + ": '"
                + TransactionControl.words(statement) + " ...' controls the transaction, but each migration"
                + " file already runs in one transaction together with its history row; remove it"
                + " (plain BEGIN and COMMIT are accepted and ignored)",
            FailureType.INVALID_CONFIG.type());
      }
    }
    return new PreparedMigration(file, statements);
  }

  private void execute(Connection connection, String sql, String action) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw database.failure(action, e, FailureType.VENDOR_REJECTED);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException ignored) {
      // The connection is broken; PostgreSQL rolls the transaction back when the session ends.
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Everything that mattered was committed or rolled back before.
    }
  }
}
