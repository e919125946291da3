package dev.silo.starter.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * Writes the documented JSON shapes: records as objects, instants and durations as ISO-8601
 * strings, absent values as {@code null} so every key is always there.
 */
public final class JsonOutput {

  private static final ObjectMapper MAPPER = mapper();

  private JsonOutput() {}

  /** One document on one line, so a stream of them is JSON Lines. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    mapper.getFactory().setCharacterEscapes(new ControlCharacterEscapes());
    return mapper;
  }

  /**
   * JSON escapes the C0 control characters; these escapes add DEL and C1 (U+0080 to U+009F, where
   * U+009B is a terminal's CSI), so a document printed to a terminal cannot steer it either.
   */
  private static final class ControlCharacterEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private final int[] asciiEscapes = standardAsciiEscapesForJSON();

    ControlCharacterEscapes() {
      asciiEscapes[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return TerminalText.isControl(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }

  /** The error document of every command in json mode. */
  public record ErrorDocument(String error, int exitCode) {}
}
