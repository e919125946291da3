package dev.silo.workflows.signing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the SSH wire encoding (RFC 4251 section 5): big-endian {@code uint32} and length-prefixed
 * {@code string}. Every read past the end throws {@link IllegalArgumentException}, so that a
 * truncated or forged blob never reads outside its bytes.
 */
public final class SshWireReader {

  private final byte[] data;
  private int position;

  /** A reader over {@code data}, from its first byte. */
  public SshWireReader(byte[] data) {
    this.data = data;
  }

  /** The next {@code count} bytes as they are. */
  public byte[] raw(int count) {
    if (count < 0 || count > data.length - position) {
      throw new IllegalArgumentException("truncated: " + count + " bytes wanted, " + remaining() + " left");
    }
    byte[] out = Arrays.copyOfRange(data, position, position + count);
    position += count;
    return out;
  }

  /** The next big-endian unsigned 32-bit integer; a value above {@link Integer#MAX_VALUE} is refused. */
  public int uint32() {
    byte[] b = raw(4);
    long value = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("length " + value + " is out of range");
    }
    return (int) value;
  }

  /** The next {@code string}'s bytes. */
  public byte[] string() {
    return raw(uint32());
  }

  /** The next {@code string} as UTF-8 text. */
  public String utf8() {
    return new String(string(), StandardCharsets.UTF_8);
  }

  /** How many bytes are left unread. */
  public int remaining() {
    return data.length - position;
  }
}
