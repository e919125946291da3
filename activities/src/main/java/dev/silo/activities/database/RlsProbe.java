package dev.silo.activities.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.RlsTestRequest;
import dev.silo.workflows.database.RlsTestResult;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A row-level-security test: one statement run as PostgREST runs a user's request, with the role
 * set and the JWT claims in {@code request.jwt.claims}, inside a transaction that is always rolled
 * back, so a test that inserts, updates or deletes changes nothing.
 */
final class RlsProbe {

  /** An unquoted PostgreSQL identifier of at most 63 characters, the longest name it keeps. */
  private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  /**
   * insufficient_privilege: what a missing grant raises, and also what a row violating a policy's
   * {@code WITH CHECK} raises.
   */
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PostgresDatabase database;

  RlsProbe(PostgresDatabase database) {
    this.database = database;
  }

  /**
   * Checks a request before anything connects.
   *
   * @throws ApplicationFailure {@code INVALID_REQUEST} (not retried) for a role that is not an
   *     identifier, a statement that is not exactly one, or an expectation that is not exactly one of
   *     rows and denial
   */
  static void validate(RlsTestRequest request) {
    String problem = null;
    if (request == null) {
      problem = "No RLS test request";
    } else if (request.role() == null || !ROLE.matcher(request.role()).matches()) {
      problem = "The role '" + request.role() + "' is not an identifier: use letters, digits, '_'"
          + " and '$', starting with a letter or '_', at most 63 characters";
    } else if (request.expectVisibleRows() != null && request.expectDenied()) {
      problem = "An RLS test expects either a number of rows or a denial, not both";
    } else if (request.expectVisibleRows() == null && !request.expectDenied()) {
      problem = "An RLS test expects a number of rows or a denial; this one expects neither";
    } else if (request.expectVisibleRows() != null && request.expectVisibleRows() < 0) {
      problem = "An RLS test cannot expect " + request.expectVisibleRows() + " rows";
    } else if (SqlScript.split(request.sql()).size() != 1) {
      problem = "An RLS test runs exactly one statement, not "
          + SqlScript.split(request.sql()).size();
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(problem, FailureType.INVALID_REQUEST.type());
    }
  }

  /**
   * Runs a {@link #validate validated} request and compares the outcome with its expectation.
   *
   * @throws ApplicationFailure {@code DEPLOY_FAILED} (not retried) when the statement fails for
   *     another reason than a refusal, such as a missing table or role; the connection's failures
   *     as {@link PostgresDatabase#failure} classifies them
   */
  RlsTestResult run(RlsTestRequest request) {
    String sql = SqlScript.split(request.sql()).get(0).sql();
    Connection connection = database.connect();
    try {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL ROLE " + quoteIdentifier(request.role()));
      }
      try (PreparedStatement claims =
          connection.prepareStatement("SELECT set_config('request.jwt.claims', ?, true)")) {
        claims.setString(1, claimsJson(request));
        claims.execute();
      }
      try (Statement statement = connection.createStatement()) {
        statement.setEscapeProcessing(false);
        return statement.execute(sql)
            ? counted(request, count(statement.getResultSet()), " saw ")
            : counted(request, statement.getUpdateCount(), " changed ");
      } catch (SQLException e) {
        if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
          throw e;
        }
        return denied(request, database.describe(e));
      }
    } catch (SQLException e) {
      if (PostgresDatabase.isTransient(e)) {
        throw database.failure("run the RLS test as " + request.role() + " on", e, FailureType.DEPLOY_FAILED);
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "The RLS test as " + request.role() + " could not run on " + database.name() + ": "
              + database.describe(e),
          FailureType.DEPLOY_FAILED.type());
    } finally {
      rollbackAndClose(connection);
    }
  }

  private static RlsTestResult denied(RlsTestRequest request, String refusal) {
    if (request.expectDenied()) {
      return new RlsTestResult(true, null, true, request.role() + " was denied: " + refusal);
    }
    return new RlsTestResult(
        false,
        null,
        true,
        request.role() + " was denied, expected " + request.expectVisibleRows() + " rows: " + refusal);
  }

  /** @param verb how the rows were reached: " saw " for returned rows, " changed " otherwise */
  private static RlsTestResult counted(RlsTestRequest request, int rows, String verb) {
    String outcome = request.role() + verb + rows + (rows == 1 ? " row" : " rows");
    if (request.expectDenied()) {
      return new RlsTestResult(false, rows, false, outcome + ", expected a denial");
    }
    int expected = request.expectVisibleRows();
    return rows == expected
        ? new RlsTestResult(true, rows, false, outcome)
        : new RlsTestResult(false, rows, false, outcome + ", expected " + expected);
  }

  /** The claims as PostgREST sets them: the token's claims with the role it switched to. */
  private static String claimsJson(RlsTestRequest request) {
    Map<String, String> claims = new TreeMap<>();
    if (request.claims() != null) {
      claims.putAll(request.claims());
    }
    claims.put("role", request.role());
    try {
      return JSON.writeValueAsString(claims);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A map of strings is always JSON", e);
    }
  }

  private static int count(ResultSet rows) throws SQLException {
    try (rows) {
      int count = 0;
      while (rows.next()) {
        count++;
      }
      return count;
    }
  }

  private static String quoteIdentifier(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static void rollbackAndClose(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // A broken connection's transaction is rolled back by PostgreSQL when the session ends.
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Nothing was to be kept.
    }
  }
}
