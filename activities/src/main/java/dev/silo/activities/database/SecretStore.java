package dev.silo.activities.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.SiloSecrets;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The worker's store of silo secrets: one JSON file per silo, {@code <directory>/<siloId>.json},
 * in a directory only the worker's user can enter (0700), each file readable only by it (0600).
 *
 * <p>A silo's secrets are generated once, with {@link SecureRandom}, and never change afterwards:
 * its database already runs with them. Generation is safe when several activities, store instances
 * or worker processes on one host ask for the same silo at once: they take a lock (a monitor in
 * this JVM, a file lock across processes) and the first one writes the file, whole, by an atomic
 * rename; the others read it.
 */
public final class SecretStore {

  /** The base64url characters of 24 random bytes: 192 bits, and safe in URLs and env files. */
  static final int PASSWORD_LENGTH = 32;

  /** Self-hosted Supabase needs at least 32 characters; 64 carry 384 random bits. */
  static final int JWT_SECRET_LENGTH = 64;

  /** A silo id as {@code SiloNames} builds it: lowercase letters, digits, single inner hyphens. */
  private static final Pattern SILO_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private static final int SILO_ID_MAX_LENGTH = 100;
  private static final String LOCK_FILE = ".lock";
  private static final String SUFFIX = ".json";
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param directory where the files are kept, created (0700) when missing
   * @param clock stamps a file's creation time
   */
  public SecretStore(Path directory, Clock clock) {
    this.directory = directory.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** The store's directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Returns the silo's secrets, generating and storing them the first time.
   *
   * @throws ApplicationFailure {@code INVALID_REQUEST} (not retried) for a silo id that is not
   *     {@code {client}-{app}}; {@code INVALID_CONFIG} (not retried) when the silo's file exists
   *     but does not hold its secrets
   * @throws UncheckedIOException when the file system fails, which Temporal retries
   */
  public SiloSecrets ensure(String siloId) {
    requireValid(siloId);
    Path file = directory.resolve(siloId + SUFFIX);
    synchronized (MONITORS.computeIfAbsent(directory, key -> new Object())) {
      try {
        createDirectory();
        try (FileChannel lockFile =
                FileChannel.open(
                    directory.resolve(LOCK_FILE),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    ownerOnly(OWNER_ONLY_FILE));
            FileLock ignored = lockFile.lock()) {
          if (Files.exists(file)) {
            return read(siloId, file);
          }
          SiloSecrets secrets =
              new SiloSecrets(randomText(PASSWORD_LENGTH), randomText(JWT_SECRET_LENGTH));
          write(siloId, file, secrets);
          return secrets;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Could not keep the secrets of silo " + siloId + " in " + directory, e);
      }
    }
  }

  private void createDirectory() throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, ownerOnly(OWNER_ONLY_DIRECTORY));
    }
  }

  private SiloSecrets read(String siloId, Path file) throws IOException {
    JsonNode json;
    try {
      json = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      json = null;
    }
    String password = text(json, "databasePassword");
    String jwtSecret = text(json, "jwtSecret");
    if (password == null || jwtSecret == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The secret file " + file + " of silo " + siloId + " does not hold a databasePassword"
              + " and a jwtSecret. It is not regenerated, because the silo's database may already"
              + " use it: restore it from a backup, or delete it if the silo has no database yet.",
          FailureType.INVALID_CONFIG.type());
    }
    return new SiloSecrets(password, jwtSecret);
  }

  private void write(String siloId, Path file, SiloSecrets secrets) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("siloId", siloId);
    json.put("createdAt", clock.instant().toString());
    json.put("databasePassword", secrets.databasePassword());
    json.put("jwtSecret", secrets.jwtSecret());
    Path temporary = Files.createTempFile(directory, "." + siloId, ".tmp", ownerOnly(OWNER_ONLY_FILE));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json)));
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private String randomText(int length) {
    // Base64 turns every 3 bytes into 4 characters, so length * 3 / 4 bytes give length characters.
    byte[] bytes = new byte[length * 3 / 4];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String text(JsonNode json, String field) {
    if (json == null || !json.path(field).isTextual() || json.path(field).asText().isEmpty()) {
      return null;
    }
    return json.path(field).asText();
  }

  private static void requireValid(String siloId) {
    if (siloId == null
        || siloId.length() > SILO_ID_MAX_LENGTH
        || !SILO_ID.matcher(siloId).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Silo id '" + siloId + "' is not valid: it is {client}-{app}, lowercase letters, digits"
              + " and single hyphens, at most " + SILO_ID_MAX_LENGTH + " characters",
          FailureType.INVALID_REQUEST.type());
    }
  }

  private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
  }
}
