package dev.silo.activities.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Mapping;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.activities.config.YamlNode.Sequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a YAML document into a {@link YamlNode} tree, reporting why when it cannot. */
public final class YamlDocumentReader {

  // A repeated key would otherwise silently keep its last value. A key with nothing after it
  // ("db-data:") is a YAML null, as Compose reads it; a quoted "" stays an empty string.
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .build();

  private YamlDocumentReader() {}

  /**
   * Returns the document's root, or empty after reporting why there is none to validate. A file
   * holding more than one document is a problem.
   */
  public static Optional<YamlNode> read(String text, FileProblems problems) {
    return parse(text, problems, false).map(documents -> documents.get(0));
  }

  /**
   * Returns the roots of every document of a stream separated by {@code ---}, in file order, or
   * empty after reporting why there are none to validate.
   */
  public static Optional<List<YamlNode>> readDocuments(String text, FileProblems problems) {
    return parse(text, problems, true);
  }

  /**
   * Jackson 2 reports a YAML syntax error as its deprecated {@link MarkedYAMLException}, which is
   * the one way to SnakeYAML's short problem text without depending on SnakeYAML directly.
   */
  @SuppressWarnings("deprecation")
  private static Optional<List<YamlNode>> parse(
      String text, FileProblems problems, boolean manyDocuments) {
    try (YAMLParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() == null) {
        problems.add("file is empty");
        return Optional.empty();
      }
      List<Integer> aliasLines = new ArrayList<>();
      List<YamlNode> documents = new ArrayList<>();
      documents.add(node(parser, aliasLines));
      while (parser.nextToken() != null) {
        if (!manyDocuments) {
          problems.add(
              line(parser.currentTokenLocation()), "file holds more than one YAML document");
          break;
        }
        documents.add(node(parser, aliasLines));
      }
      if (!aliasLines.isEmpty()) {
        // Jackson reports an alias as the anchor's name, so the tree would hold wrong values.
        aliasLines.forEach(
            line ->
                problems.add(line, "YAML aliases (*name) are not supported; write the value out"));
        return Optional.empty();
      }
      return Optional.of(documents);
    } catch (MarkedYAMLException e) {
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      // The parser's location is that of the last token read, which may be lines before the
      // character SnakeYAML rejected; its problem mark (0-based) is where the error is.
      Integer line =
          e.getProblemMark() == null ? line(e.getLocation()) : e.getProblemMark().getLine() + 1;
      problems.add(line, "invalid YAML: " + context + e.getProblem());
      return Optional.empty();
    } catch (JsonProcessingException e) {
      problems.add(line(e.getLocation()), "invalid YAML: " + e.getOriginalMessage());
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static YamlNode node(YAMLParser parser, List<Integer> aliasLines) throws IOException {
    int line = parser.currentTokenLocation().getLineNr();
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = parser.currentTokenLocation().getLineNr();
          parser.nextToken();
          entries.put(key, new Entry(key, keyLine, node(parser, aliasLines)));
        }
        return new Mapping(entries, line);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(node(parser, aliasLines));
        }
        return new Sequence(items, line);
      }
      case VALUE_NULL -> {
        return new Scalar(null, line);
      }
      default -> {
        if (parser.isCurrentAlias()) {
          aliasLines.add(line);
        }
        return new Scalar(parser.getText(), line);
      }
    }
  }

  private static Integer line(JsonLocation location) {
    return location == null || location.getLineNr() <= 0 ? null : location.getLineNr();
  }
}
