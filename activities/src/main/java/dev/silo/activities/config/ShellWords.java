package dev.silo.activities.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a Compose {@code command} or {@code entrypoint} written as a string into arguments, the
 * way a POSIX shell would but without expansions: whitespace separates words, single quotes keep
 * everything, double quotes keep everything but {@code \"}, {@code \\}, {@code \$} and {@code \`},
 * and a backslash outside quotes keeps the next character.
 */
final class ShellWords {

  private ShellWords() {}

  /** Returns the arguments, or empty when a quote is not closed or the text ends in a backslash. */
  static Optional<List<String>> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int close = text.indexOf('\'', i + 1);
        if (close < 0) {
          return Optional.empty();
        }
        word.append(text, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '"') {
        i = appendDoubleQuoted(text, i + 1, word);
        if (i < 0) {
          return Optional.empty();
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 == text.length()) {
          return Optional.empty();
        }
        word.append(text.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return Optional.of(words);
  }

  /**
   * Appends a double-quoted section starting after its quote; returns the index after the closing
   * quote, or -1.
   */
  private static int appendDoubleQuoted(String text, int start, StringBuilder word) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
        word.append(text.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    return -1;
  }
}
