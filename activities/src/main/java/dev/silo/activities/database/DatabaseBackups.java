package dev.silo.activities.database;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.BackupRequest;
import dev.silo.workflows.database.DatabaseBackup;
import dev.silo.workflows.database.DatabaseTarget;
import dev.silo.workflows.database.RestoreRequest;
import dev.silo.workflows.database.RestoreResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups in pg_dump's custom format, taken and restored with the worker's PostgreSQL client
 * programs. The password reaches them through {@code PGPASSWORD} in the child's environment, never
 * on a command line, where other users of the host could read it.
 *
 * <p>It is one unit over 300 lines because dump and restore share the one way the PostgreSQL client
 * programs are found, run and given the password; split, that handling would be repeated.
 */
final class DatabaseBackups {

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final String SUFFIX = ".dump";

  /** The first bytes of every pg_dump custom-format archive. */
  private static final byte[] ARCHIVE_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

  private static final List<String> AUTHENTICATION_FAILURES =
      List.of("authentication failed", "no pg_hba.conf entry");

  private static final List<String> CONNECTION_FAILURES =
      List.of(
          "could not connect",
          "connection refused",
          "timeout expired",
          "could not translate host name",
          "server closed the connection unexpectedly",
          "terminating connection",
          "the database system is",
          "too many clients",
          "no route to host",
          "network is unreachable");

  private static final Logger log = LoggerFactory.getLogger(DatabaseBackups.class);

  private final PostgresClientPrograms programs;

  DatabaseBackups(PostgresClientPrograms programs) {
    this.programs = programs;
  }

  DatabaseBackup backup(BackupRequest request, ActivityHeartbeat heartbeat) {
    if (request == null) {
      throw invalidRequest("No backup request");
    }
    if (request.label() == null || !LABEL.matcher(request.label()).matches()) {
      throw invalidRequest(
          "Backup label '" + request.label() + "' is not valid: use letters, digits, '.', '_' and"
              + " '-', starting with a letter or digit, at most 128 characters");
    }
    Path directory = path(request.directory(), "backup directory");
    PostgresDatabase database = new PostgresDatabase(request.target());
    Path pgDump = programs.locate("pg_dump");
    String serverVersion = serverVersion(database);
    Path file = directory.resolve(request.label() + SUFFIX);
    Path partial = null;
    try {
      Files.createDirectories(directory, ownerOnly("rwx------"));
      // pg_dump writes into this file and keeps its permissions: a backup holds all the data.
      partial =
          Files.createTempFile(
              directory, "." + request.label(), SUFFIX + ".partial", ownerOnly("rw-------"));
      PostgresClientPrograms.Outcome outcome =
          programs.run(
              List.of(
                  pgDump.toString(),
                  "--format=custom",
                  "--no-owner",
                  "--file=" + partial,
                  "--dbname=" + connectionString(database.target())),
              childEnvironment(database.target()),
              heartbeat);
      if (outcome.exitCode() != 0) {
        throw programFailure("pg_dump", database, outcome);
      }
      // The label's file is replaced whole or not at all, so a retry never leaves half a backup.
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      long size = Files.size(file);
      String sha256 = sha256(file);
      log.info("Backed up {} to {} ({} bytes, sha256 {})", database.name(), file, size, sha256);
      return new DatabaseBackup(file.toString(), size, sha256, serverVersion);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the backup " + file, e);
    } finally {
      deleteQuietly(partial);
    }
  }

  RestoreResult restore(RestoreRequest request, ActivityHeartbeat heartbeat) {
    Path file = existingArchive(request);
    PostgresDatabase database = new PostgresDatabase(request.target());
    Path pgRestore = programs.locate("pg_restore");
    serverVersion(database);
    PostgresClientPrograms.Outcome outcome =
        programs.run(
            List.of(
                pgRestore.toString(),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname=" + connectionString(database.target()),
                file.toString()),
            childEnvironment(database.target()),
            heartbeat);
    if (outcome.exitCode() != 0) {
      throw programFailure("pg_restore", database, outcome);
    }
    try {
      long size = Files.size(file);
      String sha256 = sha256(file);
      log.info("Restored {} (sha256 {}) into {}", file, sha256, database.name());
      return new RestoreResult(file.toString(), size, sha256);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the backup " + file, e);
    }
  }

  /**
   * Makes the database exactly what the backup holds, as a rollback needs: in one psql transaction
   * the schemas the connecting user may drop (its own, and {@code public} when it owns the
   * database) are dropped with everything in them, {@code public} is made again as PostgreSQL makes
   * it, and the backup's SQL runs. A table or a migration history created after the backup is gone
   * with its schema; {@link #restore} would keep it. Schemas of other roles are left as they are.
   * When any statement fails, nothing has changed.
   */
  RestoreResult restoreExactly(RestoreRequest request, ActivityHeartbeat heartbeat) {
    Path file = existingArchive(request);
    PostgresDatabase database = new PostgresDatabase(request.target());
    Path pgRestore = programs.locate("pg_restore");
    Path psql = programs.locate("psql");
    serverVersion(database);
    Path script = null;
    Path prelude = null;
    try {
      script = Files.createTempFile("silo-restore-", ".sql", ownerOnly("rw-------"));
      PostgresClientPrograms.Outcome converted = programs.run(
          List.of(pgRestore.toString(), "--no-owner", "--file=" + script, file.toString()), Map.of(), heartbeat);
      if (converted.exitCode() != 0) {
        throw programFailure("pg_restore", database, converted);
      }
      boolean scriptCreatesPublic = Files.readAllLines(script, StandardCharsets.UTF_8).stream()
          .anyMatch(line -> line.strip().equals("CREATE SCHEMA public;"));
      prelude = Files.createTempFile("silo-restore-prelude-", ".sql", ownerOnly("rw-------"));
      Files.writeString(prelude, scriptCreatesPublic ? DROP_OWN_SCHEMAS : DROP_OWN_SCHEMAS + RECREATE_PUBLIC);
      PostgresClientPrograms.Outcome restored = programs.run(
          List.of(psql.toString(), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
              "--dbname=" + connectionString(database.target()), "--file=" + prelude, "--file=" + script),
          childEnvironment(database.target()), heartbeat);
      if (restored.exitCode() != 0) {
        throw programFailure("psql", database, restored);
      }
      long size = Files.size(file);
      String sha256 = sha256(file);
      log.info("Restored {} (sha256 {}) into {}, replacing what was made since", file, sha256, database.name());
      return new RestoreResult(file.toString(), size, sha256);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not restore the backup " + file, e);
    } finally {
      deleteQuietly(script);
      deleteQuietly(prelude);
    }
  }

  /** Drops every schema the connecting user may drop: its own, and those of roles it belongs to. */
  private static final String DROP_OWN_SCHEMAS = """
      DO $silo$
      DECLARE
        own name;
      BEGIN
        FOR own IN
          SELECT nspname FROM pg_namespace
          WHERE nspname NOT IN ('pg_catalog', 'information_schema')
            AND nspname NOT LIKE 'pg\\_%'
            AND pg_has_role(nspowner, 'USAGE')
        LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', own);
        END LOOP;
      END
      $silo$;
      """;

  /** Makes {@code public} again as initdb makes it, when it was dropped; a dump does not create it. */
  private static final String RECREATE_PUBLIC = """
      DO $silo$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'public') THEN
          IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'pg_database_owner') THEN
            CREATE SCHEMA public AUTHORIZATION pg_database_owner;
            GRANT USAGE ON SCHEMA public TO PUBLIC;
          ELSE
            CREATE SCHEMA public;
            GRANT ALL ON SCHEMA public TO PUBLIC;
          END IF;
          COMMENT ON SCHEMA public IS 'standard public schema';
        END IF;
      END
      $silo$;
      """;

  /**
   * Reads the server's version; it is also the connection check that classifies refused
   * credentials and an unreachable server before a program runs.
   */
  private static String serverVersion(PostgresDatabase database) {
    Connection connection = database.connect();
    try {
      return database.serverVersion(connection);
    } finally {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Only a version was read.
      }
    }
  }

  /**
   * Classifies a program's failure by what it printed: libpq's words for refused credentials are
   * not retried, those for an unreachable or restarting server are; anything else (a version
   * mismatch, a permission, a full disk, a conflicting object) is a failed step, not retried.
   */
  private static ApplicationFailure programFailure(
      String program, PostgresDatabase database, PostgresClientPrograms.Outcome outcome) {
    String output = database.redact(outcome.outputTail());
    String message =
        program + " of " + database.name() + " failed with exit code " + outcome.exitCode()
            + (output.isBlank() ? "" : ":\n" + output);
    String lowerCase = output.toLowerCase(Locale.ROOT);
    if (AUTHENTICATION_FAILURES.stream().anyMatch(lowerCase::contains)) {
      return ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type());
    }
    if (CONNECTION_FAILURES.stream().anyMatch(lowerCase::contains)) {
      return ApplicationFailure.newFailure(message, FailureType.VENDOR_UNAVAILABLE.type());
    }
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.DEPLOY_FAILED.type());
  }

  /**
   * A libpq connection string with every value quoted, so a database name such as {@code
   * "x host=elsewhere"} stays a name. It holds no password.
   */
  static String connectionString(DatabaseTarget target) {
    return "host=" + quote(target.host())
        + " port=" + target.port()
        + " dbname=" + quote(target.database())
        + " user=" + quote(target.user())
        + " connect_timeout=" + PostgresDatabase.CONNECT_TIMEOUT.toSeconds()
        + " application_name=" + PostgresDatabase.APPLICATION_NAME;
  }

  private static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static Map<String, String> childEnvironment(DatabaseTarget target) {
    return Map.of("PGPASSWORD", target.password() == null ? "" : target.password());
  }

  /** The request's backup file, which must exist on this worker and be a custom-format archive. */
  private static Path existingArchive(RestoreRequest request) {
    if (request == null) {
      throw invalidRequest("No restore request");
    }
    Path file = path(request.backupPath(), "backup path");
    if (!Files.isRegularFile(file)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The backup " + file + " does not exist on this worker", FailureType.NOT_FOUND.type());
    }
    requireArchive(file);
    return file;
  }

  private static void requireArchive(Path file) {
    byte[] start = new byte[ARCHIVE_MAGIC.length];
    try (InputStream input = Files.newInputStream(file)) {
      int read = input.readNBytes(start, 0, start.length);
      if (read == start.length && Arrays.equals(start, ARCHIVE_MAGIC)) {
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the backup " + file, e);
    }
    throw invalidRequest(
        "The file " + file + " is not a pg_dump custom-format archive (it does not start with"
            + " PGDMP); a plain SQL dump is restored with psql instead");
  }

  private static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream input = new DigestInputStream(Files.newInputStream(file), digest)) {
        input.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime provides SHA-256", e);
    }
  }

  private static Path path(String value, String what) {
    if (value == null || value.isBlank()) {
      throw invalidRequest("No " + what);
    }
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalidRequest("The " + what + " '" + value + "' is not a valid path: " + e.getReason());
    }
  }

  private static FileAttribute<?>[] ownerOnly(String permissions) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
    };
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("Could not delete the partial backup {}: {}", file, e.getMessage());
      }
    }
  }

  private static ApplicationFailure invalidRequest(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
