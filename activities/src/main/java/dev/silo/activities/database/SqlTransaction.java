package dev.silo.activities.database;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.SqlResult;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SQL step: every statement of a script in one transaction, committed only when all of them
 * succeed. A failed statement is reported once, with the script's line, and nothing of the script
 * stays.
 */
final class SqlTransaction {

  private static final Logger log = LoggerFactory.getLogger(SqlTransaction.class);

  private final PostgresDatabase database;
  private final ActivityHeartbeat heartbeat;

  SqlTransaction(PostgresDatabase database, ActivityHeartbeat heartbeat) {
    this.database = database;
    this.heartbeat = heartbeat;
  }

  /**
   * Runs the script.
   *
   * @param source where the script comes from, for messages
   * @throws ApplicationFailure {@code DEPLOY_FAILED} (not retried) when a statement fails or the
   *     script controls the transaction itself; {@code INVALID_REQUEST} (not retried) when it holds
   *     no statement; the connection's failures as {@link PostgresDatabase#failure} classifies them
   */
  SqlResult run(String source, String sql) {
    List<SqlScript.Statement> statements = SqlScript.split(sql);
    if (statements.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The SQL of " + source + " holds no statement", FailureType.INVALID_REQUEST.type());
    }
    statements.forEach(statement -> refuseTransactionControl(source, statement));
    Connection connection = database.connect();
    int index = 0;
    try {
      connection.setAutoCommit(false);
      long rowsAffected = 0;
      String firstValue = null;
      int run = 0;
      try (Statement statement = connection.createStatement()) {
        statement.setEscapeProcessing(false);
        for (; index < statements.size(); index++) {
          SqlScript.Statement current = statements.get(index);
          if (TransactionControl.of(current) == TransactionControl.REDUNDANT) {
            continue;
          }
          heartbeat.beat(source + " statement " + (index + 1) + " of " + statements.size());
          boolean isQuery = statement.execute(current.sql());
          run++;
          while (true) {
            if (isQuery) {
              firstValue = firstValue(statement.getResultSet());
            } else {
              int count = statement.getUpdateCount();
              if (count < 0) {
                break;
              }
              rowsAffected += count;
            }
            isQuery = statement.getMoreResults();
          }
        }
      }
      connection.commit();
      log.info("Ran {} ({} statements, {} rows) on {}", source, run, rowsAffected, database.name());
      return new SqlResult(run, rowsAffected, firstValue);
    } catch (SQLException e) {
      rollbackQuietly(connection);
      if (PostgresDatabase.isTransient(e)) {
        throw database.failure("run " + source + " on", e, FailureType.DEPLOY_FAILED);
      }
      throw ApplicationFailure.newNonRetryableFailure(
          failedMessage(source, statements, index, e), FailureType.DEPLOY_FAILED.type());
    } finally {
      closeQuietly(connection);
    }
  }

  private static String firstValue(ResultSet rows) throws SQLException {
    try (rows) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  private String failedMessage(
      String source, List<SqlScript.Statement> statements, int index, SQLException e) {
    StringBuilder message = new StringBuilder("SQL ").append(source).append(" failed ");
    SqlScript.Statement failed = index < statements.size() ? statements.get(index) : null;
    int position = 0;
    if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      position = server.getPosition();
    }
    if (failed == null) {
      message.append("at commit");
    } else {
      message.append("at statement ").append(index + 1).append(" of ").append(statements.size())
          .append(position > 0 ? " (" + failed.locate(position) + ")" : " (line " + failed.line() + ")");
    }
    message.append(" on ").append(database.name()).append(": ").append(database.describe(e));
    if (failed != null && position > 0) {
      message.append("\n  ").append(database.redact(failed.lineAt(position)));
    }
    return message.append("\nThe transaction was rolled back: nothing of ").append(source)
        .append(" stays.").toString();
  }

  /**
   * Refuses a statement that would end the transaction early or start one with its own modes, which
   * would leave half a script applied when a later statement fails.
   */
  private static void refuseTransactionControl(String source, SqlScript.Statement statement) {
    if (TransactionControl.of(statement) == TransactionControl.BREAKING) {
      throw ApplicationFailure.newNonRetryableFailure(
          "SQL " + source + " line " + statement.line() + ": '" + TransactionControl.words(statement)
              + " ...' controls the transaction, but the whole script already runs in one"
              + " transaction; remove it (plain BEGIN and COMMIT are accepted and ignored)",
          FailureType.DEPLOY_FAILED.type());
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
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
