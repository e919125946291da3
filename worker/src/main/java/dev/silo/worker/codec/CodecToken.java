package dev.silo.worker.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token the codec endpoint requires. Candidates are compared by their SHA-256 digests
 * with {@link MessageDigest#isEqual}, so the time a comparison takes reveals neither how much of a
 * guess was right nor the token's length.
 */
final class CodecToken {

  private final byte[] digest;

  CodecToken(String token) {
    this.digest = sha256(token);
  }

  boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
  }

  /**
   * True when browsers can keep the token in a cookie unquoted: printable ASCII without spaces,
   * double quotes, commas, semicolons or backslashes (RFC 6265's cookie-octet).
   */
  static boolean isCookieSafe(String token) {
    return token.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
