package dev.silo.client.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The AES-256 key that encrypts workflow payloads, and the id written beside each ciphertext so a
 * process holding another key can say so instead of failing obscurely.
 *
 * <p>The key bytes are copied in and out, and {@link #toString()} shows only the id: a key must
 * never reach a log.
 *
 * @param keyId a short, non-secret name for the key (see {@link #of(byte[])})
 * @param key the 32 key bytes
 */
public record PayloadKey(String keyId, byte[] key) {

  /** Environment variable holding the key as base64 of 32 bytes; it wins over any key file. */
  public static final String ENV_KEY = "SILO_PAYLOAD_KEY";

  /** Environment variable naming the key file to read, or to create when absent. */
  public static final String ENV_KEY_FILE = "SILO_PAYLOAD_KEY_FILE";

  /** Length of an AES-256 key in bytes. */
  public static final int KEY_BYTES = 32;

  private static final String HOW_TO_GENERATE = "generate one with: openssl rand -base64 32";
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  /** Validates the key and takes a private copy of it. */
  public PayloadKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(key, "key");
    if (keyId.isBlank()) {
      throw new IllegalArgumentException("payload key id must not be blank");
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "payload key must be " + KEY_BYTES + " bytes, not " + key.length);
    }
    key = key.clone();
  }

  /** A copy of the key bytes. */
  @Override
  public byte[] key() {
    return key.clone();
  }

  /**
   * A key whose id is derived from it: the first 8 hex characters of its SHA-256. Four bytes of a
   * hash reveal nothing useful about a random 256-bit key, yet tell two keys apart.
   */
  public static PayloadKey of(byte[] key) {
    Objects.requireNonNull(key, "key");
    return new PayloadKey(idOf(key), key);
  }

  /**
   * Finds the key for this process, in this order: {@value #ENV_KEY} (base64 of 32 bytes), else the
   * file named by {@value #ENV_KEY_FILE}, else {@code ~/.silo/payload.key}. A missing key file is
   * generated from {@link SecureRandom} with permissions 0600 (its directory 0700 when created),
   * and {@code notice} is told where, once. An empty {@value #ENV_KEY} counts as unset.
   *
   * <p>The file holds the base64 text, so its content can be copied into {@value #ENV_KEY} on
   * another machine that must share the key.
   *
   * @throws IllegalArgumentException with a one-line message naming the variable or file when the
   *     key is not base64 of 32 bytes
   * @throws UncheckedIOException when the key file cannot be read or written
   */
  public static PayloadKey resolve(Map<String, String> env, Consumer<String> notice) {
    Objects.requireNonNull(notice, "notice");
    Optional<PayloadKey> existing = find(env);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path file = keyFile(env);
    PayloadKey generated = generate(file);
    if (generated == null) {
      // Another process created the file first: its key is the one to share.
      return read(file);
    }
    notice.accept(
        "generated a new payload encryption key (key id "
            + generated.keyId()
            + ") at "
            + file
            + "; every worker and CLI of this deployment must use the same key");
    return generated;
  }

  /**
   * The key this process already has, as {@link #resolve} looks for it, without ever creating one:
   * empty when {@value #ENV_KEY} is unset and the key file does not exist.
   *
   * @throws IllegalArgumentException with a one-line message naming the variable or file when the
   *     key is not base64 of 32 bytes
   * @throws UncheckedIOException when the key file exists but cannot be read
   */
  public static Optional<PayloadKey> find(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String fromEnv = env.get(ENV_KEY);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(of(decode(fromEnv, ENV_KEY)));
    }
    Path file = keyFile(env);
    return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /** The key file {@link #resolve} reads or creates: {@value #ENV_KEY_FILE}, else the default. */
  public static Path keyFile(Map<String, String> env) {
    String fileSetting = env.get(ENV_KEY_FILE);
    return fileSetting != null && !fileSetting.isBlank() ? Path.of(fileSetting) : defaultKeyFile();
  }

  /** {@code ~/.silo/payload.key}, from the {@code user.home} system property. */
  public static Path defaultKeyFile() {
    return Path.of(System.getProperty("user.home"), ".silo", "payload.key");
  }

  private static PayloadKey read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      return of(decode(text, "key file " + file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read payload key file " + file + ": " + e, e);
    }
  }

  /**
   * Writes a fresh key to {@code file}, or returns null when another process created the file
   * first. The key is written to a private temporary file and then hard-linked into place, so a
   * concurrent reader never sees a half-written key and a concurrent writer never overwrites one.
   */
  private static PayloadKey generate(Path file) {
    byte[] bytes = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    PayloadKey key = of(bytes);
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path temporary = null;
    try {
      if (Files.notExists(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
          Files.createDirectories(dir);
        }
      }
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
              : new FileAttribute<?>[0];
      temporary = Files.createTempFile(dir, ".payload-key-", ".tmp", attributes);
      if (posix) {
        // The umask may have narrowed the requested mode but never widened it; set it exactly.
        Files.setPosixFilePermissions(temporary, OWNER_ONLY_FILE);
      }
      Files.writeString(
          temporary,
          Base64.getEncoder().encodeToString(bytes) + System.lineSeparator(),
          StandardCharsets.US_ASCII);
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException e) {
        return null;
      } catch (UnsupportedOperationException e) {
        Files.move(temporary, file);
      }
      return key;
    } catch (FileAlreadyExistsException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create payload key file " + file + ": " + e, e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          // A leftover temporary file holds a key nobody uses; failing the caller for it would be
          // worse than leaving it.
        }
      }
    }
  }

  private static byte[] decode(String base64, String source) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null || bytes.length != KEY_BYTES) {
      // The value itself is never quoted: it may be a real key pasted into the wrong variable.
      throw new IllegalArgumentException(
          source
              + " must be the base64 encoding of exactly "
              + KEY_BYTES
              + " bytes ("
              + HOW_TO_GENERATE
              + ")");
    }
    return bytes;
  }

  private static String idOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PayloadKey that
        && keyId.equals(that.keyId)
        && MessageDigest.isEqual(key, that.key);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  /** Shows the key id only. */
  @Override
  public String toString() {
    return "PayloadKey[keyId=" + keyId + "]";
  }
}
