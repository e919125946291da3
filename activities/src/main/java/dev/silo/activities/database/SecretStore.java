package dev.silo.activities.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.SecretRef;
import dev.silo.workflows.database.SiloKeys;
import dev.silo.workflows.database.SiloSecrets;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
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
 *
 * <p>The file also keeps the silo's API keys once they are minted, with the time they expire. The
 * workflow never holds any of these values: activities name them with a {@link SecretRef} and
 * resolve them here.
 *
 * <p>It is one unit over 300 lines because generation, locking and the atomic write share one file
 * format and one locking protocol; split, the protocol would be scattered.
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
  private static final String ANON_KEY = "anonKey";
  private static final String KEYS_ISSUED_AT = "keysIssuedAt";
  private static final String KEYS_EXPIRE_AT = "keysExpireAt";
  private static final Set<String> NAMES =
      Set.of(SecretRef.DATABASE_PASSWORD, SecretRef.JWT_SECRET, SecretRef.SERVICE_ROLE_KEY);
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param directory where the files are kept, created (0700) when missing
   * @param clock stamps a file's creation time and the API keys' issue time
   */
  public SecretStore(Path directory, Clock clock) {
    this.directory = directory.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /**
   * The store of a worker's state directory: its {@code secrets} subdirectory. Every activity
   * implementation that resolves a {@link SecretRef} builds its store this way, so they all share
   * the one the database activities write.
   */
  public static SecretStore under(Path stateDirectory, Clock clock) {
    return new SecretStore(stateDirectory.resolve("secrets"), clock);
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
    return locked(siloId, file -> {
      if (Files.exists(file)) {
        return secretsOf(siloId, file, readJson(file));
      }
      SiloSecrets secrets = new SiloSecrets(randomText(PASSWORD_LENGTH), randomText(JWT_SECRET_LENGTH));
      ObjectNode json = JSON.createObjectNode();
      json.put("siloId", siloId);
      json.put("createdAt", clock.instant().toString());
      json.put(SecretRef.DATABASE_PASSWORD, secrets.databasePassword());
      json.put(SecretRef.JWT_SECRET, secrets.jwtSecret());
      write(siloId, file, json);
      return secrets;
    });
  }

  /**
   * Returns the secret a reference names, from the silo's file; it is never generated here.
   *
   * @throws ApplicationFailure {@code INVALID_REQUEST} (not retried) for a silo id that is not
   *     {@code {client}-{app}} or a secret name this store does not keep; {@code NOT_FOUND} (not
   *     retried) when the silo has no file, or no such secret yet; {@code INVALID_CONFIG} (not
   *     retried) when the file does not hold the silo's secrets
   * @throws UncheckedIOException when the file system fails, which Temporal retries
   */
  public String resolve(SecretRef ref) {
    if (ref == null || !NAMES.contains(ref.name())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Secret reference " + ref + " does not name one of " + NAMES + " of a silo",
          FailureType.INVALID_REQUEST.type());
    }
    return locked(ref.siloId(), file -> {
      JsonNode json = existingJson(ref.siloId(), file);
      secretsOf(ref.siloId(), file, json);
      String value = text(json, ref.name());
      if (value == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Silo " + ref.siloId() + " has no " + ref.name() + " in the secret store " + directory
                + " yet: its keys are minted by its deployment",
            FailureType.NOT_FOUND.type());
      }
      return value;
    });
  }

  /**
   * Returns the silo's API keys as stored, or mints them with its stored JWT secret and stores
   * them, with the time they were issued at, when there are none or when less than half of {@code
   * validity} is left of them. A retry or a re-run thereby gets the same keys.
   *
   * @throws ApplicationFailure as {@link #resolve}
   * @throws UncheckedIOException when the file system fails, which Temporal retries
   */
  SiloKeys keys(String siloId, Duration validity, ApiKeyMinter minter) {
    return locked(siloId, file -> {
      JsonNode json = existingJson(siloId, file);
      SiloSecrets secrets = secretsOf(siloId, file, json);
      String anonKey = text(json, ANON_KEY);
      String serviceRoleKey = text(json, SecretRef.SERVICE_ROLE_KEY);
      long now = clock.instant().getEpochSecond();
      long expiresAt = json.path(KEYS_EXPIRE_AT).asLong(0);
      if (anonKey != null && serviceRoleKey != null && expiresAt - now >= validity.toSeconds() / 2) {
        return new SiloKeys(anonKey, serviceRoleKey);
      }
      SiloKeys keys = minter.mint(secrets.jwtSecret(), now, validity);
      ObjectNode updated = ((ObjectNode) json).deepCopy();
      updated.put(ANON_KEY, keys.anonKey());
      updated.put(SecretRef.SERVICE_ROLE_KEY, keys.serviceRoleKey());
      updated.put(KEYS_ISSUED_AT, now);
      updated.put(KEYS_EXPIRE_AT, now + validity.toSeconds());
      write(siloId, file, updated);
      return keys;
    });
  }

  /**
   * A short fingerprint of a silo's secrets: the first 16 hex digits of a SHA-256 over them. It
   * changes when they do and, as they are random, tells nothing about them.
   */
  static String fingerprint(SiloSecrets secrets) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(("silo-secrets\n" + secrets.databasePassword() + "\n" + secrets.jwtSecret())
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime provides SHA-256", e);
    }
  }

  /** Runs {@code action} on the silo's file under the store's lock (a monitor and a file lock). */
  private <T> T locked(String siloId, FileAction<T> action) {
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
          return action.apply(file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Could not keep the secrets of silo " + siloId + " in " + directory, e);
      }
    }
  }

  /** What is done with a silo's file under the lock. */
  @FunctionalInterface
  private interface FileAction<T> {
    T apply(Path file) throws IOException;
  }

  private void createDirectory() throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, ownerOnly(OWNER_ONLY_DIRECTORY));
    }
  }

  private JsonNode existingJson(String siloId, Path file) throws IOException {
    if (!Files.exists(file)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Silo " + siloId + " has no secrets in the secret store " + directory + " of this worker: its"
              + " deployment prepares them first",
          FailureType.NOT_FOUND.type());
    }
    return readJson(file);
  }

  private static JsonNode readJson(Path file) throws IOException {
    try {
      JsonNode json = JSON.readTree(file.toFile());
      return json != null && json.isObject() ? json : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static SiloSecrets secretsOf(String siloId, Path file, JsonNode json) {
    String password = text(json, SecretRef.DATABASE_PASSWORD);
    String jwtSecret = text(json, SecretRef.JWT_SECRET);
    if (password == null || jwtSecret == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The secret file " + file + " of silo " + siloId + " does not hold a databasePassword"
              + " and a jwtSecret. It is not regenerated, because the silo's database may already"
              + " use it: restore it from a backup, or delete it if the silo has no database yet.",
          FailureType.INVALID_CONFIG.type());
    }
    return new SiloSecrets(password, jwtSecret);
  }

  private void write(String siloId, Path file, JsonNode json) throws IOException {
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
