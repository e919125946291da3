package dev.silo.activities.release;

import dev.silo.activities.config.ConfigProblem;
import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlDocumentReader;
import dev.silo.activities.config.YamlNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a definition file's YAML documents.
 *
 * <p>Runbooks are written for people, and two of their habits are not valid YAML: a shell command
 * holding {@code ": "} ({@code command: notify.sh "Rollback triggered: $REASON"}) and an approver
 * written {@code - @devops-lead}. A line YAML rejects for exactly that reason is read as the text
 * written, as if it had been quoted; any other YAML error is reported as it is. Only lines that
 * make the file invalid are touched, so a valid file means what YAML says it means.
 */
final class DefinitionFile {

  private static final Pattern COMMAND_LINE =
      Pattern.compile("^(\\s*(?:-\\s+)?command:\\s+)([^'\"|>\\s].*?)\\s*$");
  private static final String COMMAND_PROBLEM = "mapping values are not allowed here";
  private static final String AT_PROBLEM = "found character '@' that cannot start any token";
  private static final Pattern AT_ITEM_LINE = Pattern.compile("^(\\s*-\\s+)(@\\S.*?)\\s*$");

  private DefinitionFile() {}

  /** Reads a file's documents, or returns empty after reporting why there are none. */
  static Optional<List<YamlNode>> read(Path file, FileProblems problems) {
    if (!Files.isRegularFile(file)) {
      problems.add("file is missing");
      return Optional.empty();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      problems.add("file is not valid UTF-8");
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(text, problems);
  }

  static Optional<List<YamlNode>> parse(String text, FileProblems problems) {
    String current = text;
    while (true) {
      List<ConfigProblem> found = new ArrayList<>();
      Optional<List<YamlNode>> documents =
          YamlDocumentReader.readDocuments(current, new FileProblems(problems.file(), found));
      Optional<String> requoted =
          found.size() == 1 ? requote(current, found.get(0)) : Optional.empty();
      if (requoted.isEmpty()) {
        found.forEach(problem -> problems.add(problem.line(), problem.message()));
        return documents;
      }
      current = requoted.get();
    }
  }

  /** Quotes the runbook line YAML rejected, or returns empty when the problem is another one. */
  private static Optional<String> requote(String text, ConfigProblem problem) {
    Pattern pattern;
    if (problem.line() == null) {
      return Optional.empty();
    } else if (problem.message().contains(COMMAND_PROBLEM)) {
      pattern = COMMAND_LINE;
    } else if (problem.message().contains(AT_PROBLEM)) {
      pattern = AT_ITEM_LINE;
    } else {
      return Optional.empty();
    }
    String[] lines = text.split("\n", -1);
    if (problem.line() > lines.length) {
      return Optional.empty();
    }
    Matcher matcher = pattern.matcher(lines[problem.line() - 1]);
    if (!matcher.matches() || (pattern == COMMAND_LINE && !matcher.group(2).contains(": "))) {
      return Optional.empty();
    }
    lines[problem.line() - 1] = matcher.group(1) + "'" + matcher.group(2).replace("'", "''") + "'";
    return Optional.of(String.join("\n", lines));
  }
}
