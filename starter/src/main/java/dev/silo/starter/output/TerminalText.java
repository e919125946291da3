package dev.silo.starter.output;

/**
 * Text the CLI prints that holds what someone else typed: a name on the command line, a comment
 * in the audit trail, a reason a worker wrote. A control character in it would reach the
 * operator's terminal as a command (an escape sequence clears the screen, a newline forges a
 * line), so every one is shown in a visible form instead: {@code \n}, {@code \r}, {@code \t},
 * {@code \e} for ESC, and for the others of C0, DEL and C1 a backslash, {@code u} and the four hex
 * digits of the code point.
 */
public final class TerminalText {

  private TerminalText() {}

  /** Whether the code point is a control character: C0 (newline and ESC included), DEL or C1. */
  static boolean isControl(int codePoint) {
    return codePoint < 0x20 || codePoint == 0x7f || (codePoint >= 0x80 && codePoint <= 0x9f);
  }

  /** The visible form of the first control character in {@code text}, or null when it has none. */
  public static String firstControlCharacter(String text) {
    return text == null ? null : text.codePoints().filter(TerminalText::isControl).mapToObj(TerminalText::visible)
        .findFirst().orElse(null);
  }

  /** {@code text} on one line, every control character in its visible form; null stays "null". */
  public static String escape(String text) {
    return escape(text, false);
  }

  /**
   * {@code text} with every control character but the newline in its visible form, for renderings
   * of several lines whose values were escaped one by one already.
   */
  public static String escapeKeepingLines(String text) {
    return escape(text, true);
  }

  private static String escape(String text, boolean keepNewlines) {
    if (text == null) {
      return "null";
    }
    if (text.codePoints().noneMatch(c -> isControl(c) && !(keepNewlines && c == '\n'))) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    text.codePoints().forEach(c -> {
      if (isControl(c) && !(keepNewlines && c == '\n')) {
        escaped.append(visible(c));
      } else {
        escaped.appendCodePoint(c);
      }
    });
    return escaped.toString();
  }

  private static String visible(int codePoint) {
    return switch (codePoint) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case 0x1b -> "\\e";
      default -> String.format("\\u%04x", codePoint);
    };
  }
}
