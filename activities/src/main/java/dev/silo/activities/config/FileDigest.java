package dev.silo.activities.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file's SHA-256 and size, by which a migration travels through the history instead of its
 * content.
 *
 * @param sha256 the lowercase hex SHA-256 of the file's bytes
 * @param size the file's size in bytes
 */
public record FileDigest(String sha256, long size) {

  /** The SHA-256 of {@code bytes}, as lowercase hex. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /**
   * Streams the file once, hashing it and checking that it is UTF-8.
   *
   * @return the digest, or null when the file is not valid UTF-8
   */
  static FileDigest ofUtf8(Path file) throws IOException {
    MessageDigest digest = newDigest();
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] buffer = new byte[64 * 1024];
    // What is read, plus the few bytes of a character split across two reads.
    ByteBuffer pending = ByteBuffer.allocate(buffer.length + 8);
    CharBuffer chars = CharBuffer.allocate(buffer.length);
    long size = 0;
    boolean valid = true;
    try (InputStream in = Files.newInputStream(file)) {
      int read;
      while ((read = in.read(buffer)) != -1) {
        digest.update(buffer, 0, read);
        size += read;
        if (valid) {
          pending.put(buffer, 0, read).flip();
          valid = decode(decoder, pending, chars, false);
          pending.compact();
        }
      }
    }
    if (valid) {
      pending.flip();
      valid = decode(decoder, pending, chars, true) && !decoder.flush(chars).isError();
    }
    return valid ? new FileDigest(HexFormat.of().formatHex(digest.digest()), size) : null;
  }

  private static boolean decode(CharsetDecoder decoder, ByteBuffer bytes, CharBuffer chars, boolean end) {
    while (true) {
      CoderResult result = decoder.decode(bytes, chars, end);
      chars.clear();
      if (result.isError()) {
        return false;
      }
      if (result.isUnderflow()) {
        return !end || !bytes.hasRemaining();
      }
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
