package dev.silo.activities.release;

import dev.silo.activities.config.ComposeDuration;
import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlNode;
import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Mapping;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.workflows.DurationRange;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * A mapping of a definition file read key by key. A value of the wrong type is reported at its line
 * and read as absent, so that reading goes on and every problem of the file is found in one pass.
 */
final class DefinitionMapping {

  static final String DURATION_FORM = "write it like 5s, 10m or 1m30s";

  private final Mapping mapping;
  private final String what;
  private final FileProblems problems;

  private DefinitionMapping(Mapping mapping, String what, FileProblems problems) {
    this.mapping = mapping;
    this.what = what;
    this.problems = problems;
  }

  /**
   * Wraps a node that must be a mapping, or reports that it is not.
   *
   * @param what how messages name the mapping, such as {@code step 'Apply migrations'}
   */
  static Optional<DefinitionMapping> of(YamlNode node, String what, FileProblems problems) {
    if (node instanceof Mapping mapping) {
      return Optional.of(new DefinitionMapping(mapping, what, problems));
    }
    problems.add(node.line(), what + " must be a mapping, not " + YamlNode.kind(node));
    return Optional.empty();
  }

  int line() {
    return mapping.line();
  }

  String what() {
    return what;
  }

  FileProblems problems() {
    return problems;
  }

  Collection<Entry> entries() {
    return mapping.entries().values();
  }

  boolean has(String key) {
    return mapping.entries().containsKey(key);
  }

  Optional<Entry> entry(String key) {
    return Optional.ofNullable(mapping.entries().get(key));
  }

  /** Reports every key not in {@code known}, naming the keys that are. */
  void rejectUnknownKeys(Collection<String> known) {
    for (Entry entry : entries()) {
      if (!known.contains(entry.key())) {
        problems.add(
            entry.keyLine(),
            "unknown key '"
                + entry.key()
                + "' in "
                + what
                + "; the keys are "
                + String.join(", ", known));
      }
    }
  }

  /** The scalar text of a key; empty when the key is absent, null, or not a scalar (reported). */
  Optional<String> text(String key) {
    Entry entry = mapping.entries().get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.value() instanceof Scalar scalar) {
      return Optional.ofNullable(scalar.text()).map(String::strip).filter(text -> !text.isEmpty());
    }
    problems.add(
        entry.value().line(),
        key + " of " + what + " must be a scalar, not " + YamlNode.kind(entry.value()));
    return Optional.empty();
  }

  /** The scalar text of a key that must be written, reporting it missing at the mapping's line. */
  Optional<String> requiredText(String key) {
    Entry entry = mapping.entries().get(key);
    Optional<String> text = text(key);
    if (text.isEmpty() && (entry == null || entry.value() instanceof Scalar)) {
      problems.add(mapping.line(), what + " has no " + key);
    }
    return text;
  }

  boolean bool(String key, boolean absent) {
    return text(key)
        .map(
            text -> {
              if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
              }
              problems.add(
                  valueLine(key),
                  key + " of " + what + " must be true or false, not '" + text + "'");
              return absent;
            })
        .orElse(absent);
  }

  /** An integer between {@code min} and {@code max}; empty when absent or invalid (reported). */
  Optional<Integer> integer(String key, int min, int max) {
    Optional<String> text = text(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value >= min && value <= max) {
        return Optional.of(value);
      }
    } catch (NumberFormatException notANumber) {
      // Reported below with the range, which says what a valid value is.
    }
    problems.add(
        valueLine(key),
        key
            + " of "
            + what
            + " must be a whole number from "
            + min
            + " to "
            + max
            + ", not '"
            + text.get()
            + "'");
    return Optional.empty();
  }

  Optional<Duration> duration(String key) {
    Optional<String> text = text(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> duration = ComposeDuration.parse(text.get());
    if (duration.isEmpty()) {
      problems.add(
          valueLine(key),
          "bad duration '" + text.get() + "' for " + key + " of " + what + "; " + DURATION_FORM);
    }
    return duration;
  }

  /**
   * A duration that must also fall within a range; one out of it is reported at its line with the
   * range, and read as absent.
   */
  Optional<Duration> duration(String key, DurationRange range) {
    Optional<Duration> duration = duration(key);
    if (duration.isPresent() && !range.contains(duration.get())) {
      problems.add(valueLine(key),
          key + " of " + what + " must be " + range.describe() + ", not '" + text(key).orElseThrow() + "'");
      return Optional.empty();
    }
    return duration;
  }

  int keyLine(String key) {
    return mapping.entries().get(key).keyLine();
  }

  int valueLine(String key) {
    return mapping.entries().get(key).value().line();
  }
}
