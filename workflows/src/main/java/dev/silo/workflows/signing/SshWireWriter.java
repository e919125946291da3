package dev.silo.workflows.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the SSH wire encoding (RFC 4251 section 5): big-endian {@code uint32} and length-prefixed {@code string}. */
public final class SshWireWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Appends {@code bytes} as they are. */
  public SshWireWriter raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** Appends one byte. */
  public SshWireWriter byteValue(int value) {
    out.write(value);
    return this;
  }

  /** Appends a big-endian 32-bit integer. */
  public SshWireWriter uint32(int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  /** Appends a {@code string}: its length, then its bytes. */
  public SshWireWriter string(byte[] bytes) {
    uint32(bytes.length);
    return raw(bytes);
  }

  /** Appends a {@code string} holding {@code text} in UTF-8. */
  public SshWireWriter string(String text) {
    return string(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The bytes written so far. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
