package dev.silo.workflows.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code SSHSIG} format of OpenSSH ({@code PROTOCOL.sshsig}): the data a key signs, the
 * signature blob and its armor. The CLI writes it; {@link SshSignatures} reads it.
 */
public final class SshSignatureFormat {

  /** The armor's first line. */
  public static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";

  /** The armor's last line. */
  public static final String END = "-----END SSH SIGNATURE-----";

  /** The only version of the blob there is. */
  public static final int VERSION = 1;

  /** The hash algorithm {@code ssh-keygen -Y sign} uses, and so the CLI. */
  public static final String SHA512 = "sha512";

  /** The other hash algorithm the format allows. */
  public static final String SHA256 = "sha256";

  static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);

  /** ssh-keygen wraps the armored base64 at this width. */
  private static final int ARMOR_WIDTH = 70;

  private SshSignatureFormat() {}

  /**
   * The bytes a key signs for {@code message}: the magic, the namespace, an empty reserved field,
   * the hash algorithm and the message's hash.
   *
   * @param hashAlgorithm {@link #SHA256} or {@link #SHA512}
   */
  public static byte[] signedData(String namespace, String hashAlgorithm, byte[] message) {
    return new SshWireWriter()
        .raw(MAGIC)
        .string(namespace)
        .string(new byte[0])
        .string(hashAlgorithm)
        .string(digest(hashAlgorithm, message))
        .toByteArray();
  }

  /**
   * The armored signature, as {@code ssh-keygen -Y sign} writes it.
   *
   * @param publicKey the signing key's public blob
   * @param signature the key's signature over {@link #signedData}, in SSH encoding ({@code string}
   *     algorithm, {@code string} signature bytes)
   */
  public static String armor(byte[] publicKey, String namespace, String hashAlgorithm, byte[] signature) {
    byte[] blob = new SshWireWriter()
        .raw(MAGIC)
        .uint32(VERSION)
        .string(publicKey)
        .string(namespace)
        .string(new byte[0])
        .string(hashAlgorithm)
        .string(signature)
        .toByteArray();
    String base64 = Base64.getEncoder().encodeToString(blob);
    StringBuilder armored = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < base64.length(); i += ARMOR_WIDTH) {
      armored.append(base64, i, Math.min(base64.length(), i + ARMOR_WIDTH)).append('\n');
    }
    return armored.append(END).append('\n').toString();
  }

  /** The key's fingerprint as {@code ssh-keygen -l} prints it: {@code SHA256:} and unpadded base64. */
  public static String fingerprint(byte[] publicKey) {
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest(SHA256, publicKey));
  }

  /** The key type a public key blob names first ({@code ssh-ed25519}, ...). */
  public static String keyType(byte[] publicKey) {
    return new SshWireReader(publicKey).utf8();
  }

  static byte[] digest(String hashAlgorithm, byte[] data) {
    String name = switch (hashAlgorithm) {
      case SHA256 -> "SHA-256";
      case SHA512 -> "SHA-512";
      default -> throw new IllegalArgumentException("hash algorithm " + hashAlgorithm + " is not sha256 or sha512");
    };
    try {
      return MessageDigest.getInstance(name).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has " + name, e);
    }
  }
}
