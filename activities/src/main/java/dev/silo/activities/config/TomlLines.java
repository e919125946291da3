package dev.silo.activities.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key of a TOML document is written, so that a problem with a value can name its line.
 * The TOML parser keeps no positions, so the text is scanned once more: table headers, arrays of
 * tables (counted, so the second {@code [[services]]} is {@code services[1]}) and {@code key =}
 * lines, skipping comments and multi-line strings. A key inside an inline table or a multi-line
 * array resolves to the line of the key that holds it.
 *
 * <p>Paths are written as the mapping names them: table keys joined with {@code .}, an element of
 * an array of tables as {@code [index]} after its key, e.g. {@code services[0].ports[1].port}.
 */
final class TomlLines {

  private final Map<String, Integer> lines = new HashMap<>();

  private TomlLines() {}

  /** Indexes a document's text; the text is assumed to parse. */
  static TomlLines of(String text) {
    TomlLines index = new TomlLines();
    Map<String, Integer> arrayCounts = new HashMap<>();
    String table = "";
    String openString = null;
    String[] all = text.split("\r?\n", -1);
    for (int i = 0; i < all.length; i++) {
      String line = all[i];
      if (openString != null) {
        if (count(line, openString) % 2 == 1) {
          openString = null;
        }
        continue;
      }
      String code = withoutComment(line).strip();
      if (code.startsWith("[[") && code.endsWith("]]")) {
        String key = resolve(arrayCounts, code.substring(2, code.length() - 2));
        int position = arrayCounts.merge(key, 1, Integer::sum) - 1;
        table = key + "[" + position + "]";
        index.lines.putIfAbsent(table, i + 1);
      } else if (code.startsWith("[") && code.endsWith("]")) {
        table = resolve(arrayCounts, code.substring(1, code.length() - 1));
        index.lines.putIfAbsent(table, i + 1);
      } else {
        int equals = keyEnd(code);
        if (equals > 0) {
          String path = join(table, dotted(code.substring(0, equals)));
          index.lines.putIfAbsent(path, i + 1);
          String value = code.substring(equals + 1);
          for (String delimiter : List.of("\"\"\"", "'''")) {
            if (count(value, delimiter) % 2 == 1) {
              openString = delimiter;
            }
          }
        }
      }
    }
    return index;
  }

  /** The 1-based line of the path or of the nearest key holding it, or null when none is known. */
  Integer lineOf(String path) {
    String candidate = path;
    while (!candidate.isEmpty()) {
      Integer line = lines.get(candidate);
      if (line != null) {
        return line;
      }
      int cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
      candidate = cut < 0 ? "" : candidate.substring(0, cut);
    }
    return null;
  }

  /**
   * A header's dotted key as a path: a prefix that names an array of tables means its latest
   * element, as TOML reads {@code [[services.ports]]} after a {@code [[services]]}. The last part is
   * the header's own key.
   */
  private static String resolve(Map<String, Integer> arrayCounts, String header) {
    String[] parts = dotted(header).split("\\.", -1);
    String path = "";
    for (int i = 0; i < parts.length; i++) {
      path = join(path, parts[i]);
      Integer count = arrayCounts.get(path);
      if (count != null && i < parts.length - 1) {
        path = path + "[" + (count - 1) + "]";
      }
    }
    return path;
  }

  /** A dotted key with its whitespace and quotes removed: {@code a . "b"} is {@code a.b}. */
  private static String dotted(String key) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    char quote = 0;
    for (char c : key.strip().toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          part.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '.') {
        parts.add(part.toString().strip());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString().strip());
    return String.join(".", parts);
  }

  private static String join(String table, String key) {
    return table.isEmpty() ? key : table + "." + key;
  }

  /** The index of the {@code =} that ends a line's key, or -1 when the line holds no key. */
  private static int keyEnd(String code) {
    char quote = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '=') {
        return i;
      } else if (c == '{' || c == '[' || c == ',' || c == '}' || c == ']') {
        return -1;
      }
    }
    return -1;
  }

  private static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static int count(String text, String delimiter) {
    int count = 0;
    for (int at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, at + delimiter.length())) {
      count++;
    }
    return count;
  }
}
