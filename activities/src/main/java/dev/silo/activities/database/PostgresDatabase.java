package dev.silo.activities.database;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.DatabaseTarget;
import io.temporal.failure.ApplicationFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One PostgreSQL database, reached over JDBC. This is the client boundary: every {@link
 * SQLException} is classified here, once, by its SQLSTATE, and no message that leaves this class
 * carries the password.
 */
final class PostgresDatabase {

  /** How long a connection attempt may take, so an unreachable host fails the attempt quickly. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Shown in {@code pg_stat_activity}, so an operator sees who holds a lock. */
  static final String APPLICATION_NAME = "silo-deployer";

  /** A host name, an IPv4 address or an IPv6 address, nothing that could end the URL's authority. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._\\-]+|\\[?[0-9A-Fa-f:.%A-Za-z]+]?");

  /**
   * Conditions that pass: the connection broke or never came up (08), the server is starting or
   * shutting down (57P01-57P03), out of connections or resources (53), a statement timeout (57014),
   * and the transaction conflicts PostgreSQL itself says to retry (40001, 40P01, 55P03).
   */
  private static final Set<String> TRANSIENT_STATES =
      Set.of("57P01", "57P02", "57P03", "57014", "40001", "40P01", "55P03");

  private static final int REDACTED_MINIMUM = 6;

  private final DatabaseTarget target;

  /**
   * @throws ApplicationFailure {@code INVALID_REQUEST} (not retried) when a part of the target is
   *     missing or malformed
   */
  PostgresDatabase(DatabaseTarget target) {
    this.target = requireValid(target);
  }

  DatabaseTarget target() {
    return target;
  }

  /** The database as it may be shown: without the password. */
  String name() {
    return target.displayUrl();
  }

  /**
   * Opens a connection in auto-commit mode.
   *
   * @throws ApplicationFailure classified as {@link #failure} does
   */
  Connection connect() {
    Properties properties = new Properties();
    properties.setProperty("user", target.user());
    properties.setProperty("password", target.password() == null ? "" : target.password());
    properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    try {
      return DriverManager.getConnection(url(), properties);
    } catch (SQLException e) {
      throw failure("connect to", e, FailureType.VENDOR_REJECTED);
    }
  }

  /** Reads {@code server_version} on an open connection. */
  String serverVersion(Connection connection) {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW server_version")) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw failure("read the server version of", e, FailureType.VENDOR_REJECTED);
    }
  }

  /**
   * Classifies an error: a broken or refused connection and the conditions PostgreSQL says to
   * retry are retried ({@code VENDOR_UNAVAILABLE}); refused credentials are not ({@code
   * VENDOR_REJECTED}), nor is a missing database ({@code NOT_FOUND}); anything else is {@code
   * otherwise}, not retried.
   *
   * @param action what was being done, such as "connect to"; the database's name follows it
   */
  ApplicationFailure failure(String action, SQLException e, FailureType otherwise) {
    String message = "Could not " + action + " " + name() + ": " + describe(e);
    return switch (category(e)) {
      case TRANSIENT -> ApplicationFailure.newFailure(message, FailureType.VENDOR_UNAVAILABLE.type());
      case AUTHENTICATION ->
          ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type());
      case MISSING_DATABASE ->
          ApplicationFailure.newNonRetryableFailure(message, FailureType.NOT_FOUND.type());
      case OTHER -> ApplicationFailure.newNonRetryableFailure(message, otherwise.type());
    };
  }

  /** Whether an error is one that {@link #failure} retries. */
  static boolean isTransient(SQLException e) {
    return category(e) == Category.TRANSIENT;
  }

  /** The error's message and SQLSTATE, without the password. */
  String describe(SQLException e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      text = server.getMessage();
      if (server.getDetail() != null) {
        text += "; detail: " + server.getDetail();
      }
      if (server.getHint() != null) {
        text += "; hint: " + server.getHint();
      }
    } else if (e.getCause() != null && e.getCause().getMessage() != null) {
      // The driver's own message ("The connection attempt failed.") hides what failed below it.
      text += " " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
    }
    if (e.getSQLState() != null) {
      text += " (SQLSTATE " + e.getSQLState() + ")";
    }
    return redact(text);
  }

  /**
   * Removes the password from a text that may quote it (an echoed connection string, a tool's
   * output). A password shorter than {@value #REDACTED_MINIMUM} characters is left alone: replacing
   * it would garble ordinary words, and a password that short protects nothing anyway.
   */
  String redact(String text) {
    String password = target.password();
    return password == null || password.length() < REDACTED_MINIMUM
        ? text
        : text.replace(password, "***");
  }

  private enum Category {
    TRANSIENT,
    AUTHENTICATION,
    MISSING_DATABASE,
    OTHER
  }

  private static Category category(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      // Without a SQLSTATE the driver failed below the protocol: a socket error or timeout.
      return Category.TRANSIENT;
    }
    if (state.startsWith("08") || state.startsWith("53") || TRANSIENT_STATES.contains(state)) {
      return Category.TRANSIENT;
    }
    if (state.startsWith("28")) {
      return Category.AUTHENTICATION;
    }
    if (state.equals("3D000")) {
      return Category.MISSING_DATABASE;
    }
    return Category.OTHER;
  }

  private String url() {
    String host = target.host().contains(":") && !target.host().startsWith("[")
        ? "[" + target.host() + "]"
        : target.host();
    return "jdbc:postgresql://" + host + ":" + target.port() + "/"
        + URLEncoder.encode(target.database(), StandardCharsets.UTF_8);
  }

  private static DatabaseTarget requireValid(DatabaseTarget target) {
    String problem = null;
    if (target == null) {
      problem = "no database target";
    } else if (target.host() == null || !HOST.matcher(target.host()).matches()) {
      problem = "host '" + target.host() + "' is not a host name or address";
    } else if (target.port() < 1 || target.port() > 65535) {
      problem = "port " + target.port() + " is not between 1 and 65535";
    } else if (target.database() == null || target.database().isBlank()) {
      problem = "no database name";
    } else if (target.user() == null || target.user().isBlank()) {
      problem = "no user";
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid database target " + target + ": " + problem, FailureType.INVALID_REQUEST.type());
    }
    return target;
  }
}
