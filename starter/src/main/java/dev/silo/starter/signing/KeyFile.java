package dev.silo.starter.signing;

import dev.silo.workflows.signing.SshWireReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * A key file as read before any passphrase: whether it is encrypted and, when it can be told
 * without decrypting, its public key. The OpenSSH format holds the public key in clear; for the
 * older PEM formats it comes from the {@code .pub} file beside the key, when there is one. A public
 * key file ({@code id_ed25519.pub}, as git's {@code user.signingKey} may name) is read too: only an
 * agent holding its private key can sign with it.
 *
 * @param path the file
 * @param text the file's content
 * @param publicKey the public key blob; null when it cannot be known before decrypting
 * @param encrypted whether a passphrase is needed
 * @param publicOnly whether the file holds only the public key
 */
record KeyFile(Path path, String text, byte[] publicKey, boolean encrypted, boolean publicOnly) {

  private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
  private static final String OPENSSH_END = "-----END OPENSSH PRIVATE KEY-----";
  private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

  /**
   * Reads {@code path}.
   *
   * @throws SigningException a file that is missing, unreadable or not a private key
   */
  static KeyFile read(Path path) throws SigningException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new SigningException("key file " + path + " does not exist");
    } catch (IOException e) {
      throw new SigningException("cannot read key file " + path + ": " + e.getMessage(), e);
    }
    String content = text.strip();
    if (content.startsWith(OPENSSH_BEGIN) && content.endsWith(OPENSSH_END)) {
      return readOpenSsh(path, text, content);
    }
    if (content.startsWith("-----BEGIN ") && content.contains("PRIVATE KEY-----")) {
      boolean encrypted = content.contains("ENCRYPTED");
      return new KeyFile(path, text, publicKeyBeside(path), encrypted, false);
    }
    byte[] publicKey = publicKey(content);
    if (publicKey != null) {
      return new KeyFile(path, text, publicKey, false, true);
    }
    throw new SigningException("key file " + path + " is not a private key (" + OPENSSH_BEGIN + ")");
  }

  /** The key's type, from its public key; null when that is not known before decrypting. */
  String keyType() {
    return publicKey == null ? null : new SshWireReader(publicKey).utf8();
  }

  private static KeyFile readOpenSsh(Path path, String text, String content) throws SigningException {
    try {
      String body = content.substring(OPENSSH_BEGIN.length(), content.length() - OPENSSH_END.length())
          .replaceAll("\\s", "");
      SshWireReader reader = new SshWireReader(Base64.getDecoder().decode(body));
      if (!Arrays.equals(reader.raw(OPENSSH_MAGIC.length), OPENSSH_MAGIC)) {
        throw new SigningException("key file " + path + " is not an OpenSSH private key (no openssh-key-v1 magic)");
      }
      String cipher = reader.utf8();
      reader.string();
      reader.string();
      if (reader.uint32() != 1) {
        throw new SigningException("key file " + path + " holds several keys; give a file with one");
      }
      byte[] publicKey = reader.string();
      return new KeyFile(path, text, publicKey, !"none".equals(cipher), false);
    } catch (IllegalArgumentException e) {
      throw new SigningException("key file " + path + " is garbled: " + e.getMessage());
    }
  }

  private static byte[] publicKeyBeside(Path path) {
    Path pub = path.resolveSibling(path.getFileName() + ".pub");
    try {
      return publicKey(Files.readString(pub, StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      // Without a readable .pub the key's identity is learnt when it is decrypted.
      return null;
    }
  }

  /** The blob of a public key line ({@code type base64 [comment]}) whose blob names its type; else null. */
  private static byte[] publicKey(String line) {
    String[] fields = line.split("\\s+");
    if (fields.length < 2) {
      return null;
    }
    try {
      byte[] blob = Base64.getDecoder().decode(fields[1]);
      return fields[0].equals(new SshWireReader(blob).utf8()) ? blob : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
