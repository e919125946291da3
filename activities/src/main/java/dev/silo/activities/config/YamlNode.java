package dev.silo.activities.config;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on. Jackson's own tree drops positions and types scalars
 * ({@code 1.10} becomes {@code 1.1}, {@code no} becomes {@code false}), whereas Compose hands
 * scalars to Docker as the text written, and problems should point at a line.
 */
public sealed interface YamlNode {

  /** The 1-based line the value starts on. */
  int line();

  /**
   * A scalar.
   *
   * @param text the scalar as written, without quotes; null for a YAML null ({@code ~}, {@code
   *     null} or nothing)
   */
  record Scalar(String text, int line) implements YamlNode {}

  /** A sequence. */
  record Sequence(List<YamlNode> items, int line) implements YamlNode {}

  /** A mapping, in file order. */
  record Mapping(Map<String, Entry> entries, int line) implements YamlNode {}

  /**
   * One key of a mapping.
   *
   * @param keyLine the line of the key, where problems about the key itself point
   */
  record Entry(String key, int keyLine, YamlNode value) {}

  /** Names the kind of a value, for messages such as "must be a list, not a mapping". */
  static String kind(YamlNode node) {
    if (node instanceof Mapping) {
      return "a mapping";
    }
    if (node instanceof Sequence) {
      return "a list";
    }
    return node instanceof Scalar scalar && scalar.text() == null ? "empty" : "a scalar";
  }
}
