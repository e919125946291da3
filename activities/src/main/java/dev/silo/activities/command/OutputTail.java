package dev.silo.activities.command;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The end of a command's output, with secrets masked. More bytes than are shown are kept, so a
 * secret that straddles the cut is still recognised and masked before the cut is made.
 */
final class OutputTail {

  /** How many characters of output the result shows. */
  static final int SHOWN_CHARS = 4096;

  private static final int KEPT_BYTES = 4 * SHOWN_CHARS;

  private static final String MASK = "***";

  private final byte[] ring = new byte[KEPT_BYTES];
  private final List<String> secrets;
  private long written;

  /** @param secrets values to mask; the longest are masked first so none is left half-shown */
  OutputTail(List<String> secrets) {
    this.secrets = secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  synchronized void append(byte[] buffer, int length) {
    for (int i = 0; i < length; i++) {
      ring[(int) (written++ % KEPT_BYTES)] = buffer[i];
    }
  }

  /** The last {@value #SHOWN_CHARS} characters written, masked. */
  synchronized String text() {
    byte[] kept;
    if (written <= KEPT_BYTES) {
      kept = Arrays.copyOf(ring, (int) written);
    } else {
      int start = (int) (written % KEPT_BYTES);
      kept = new byte[KEPT_BYTES];
      System.arraycopy(ring, start, kept, 0, KEPT_BYTES - start);
      System.arraycopy(ring, 0, kept, KEPT_BYTES - start, start);
    }
    String text = new String(kept, StandardCharsets.UTF_8);
    for (String secret : secrets) {
      text = text.replace(secret, MASK);
    }
    return text.length() <= SHOWN_CHARS ? text : text.substring(text.length() - SHOWN_CHARS);
  }
}
