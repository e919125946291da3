package dev.silo.worker.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The codec server's body, {@code {"payloads": [...]}}, each payload in the proto3 JSON mapping of
 * {@link Payload}: metadata values and data are base64.
 *
 * <p>The envelope is read with Jackson so that a problem can name the payload and field it is in;
 * each payload is then read with protobuf's own {@link JsonFormat}. Error messages never quote the
 * body, which may hold plaintext.
 */
final class PayloadsJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private PayloadsJson() {}

  /** The payloads of a request body, or a 400 naming the first problem. */
  static List<Payload> parse(byte[] body) throws CodecRequestException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw badRequest("the request body is not valid JSON"
          + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    } catch (IOException e) {
      throw badRequest("the request body could not be read");
    }
    JsonNode array = root == null ? null : root.get("payloads");
    if (array == null || !array.isArray()) {
      throw badRequest("the request body must be an object with a \"payloads\" array");
    }
    List<Payload> payloads = new ArrayList<>(array.size());
    for (int index = 0; index < array.size(); index++) {
      payloads.add(payload(index, array.get(index)));
    }
    return payloads;
  }

  /** The response body for {@code payloads}. */
  static String print(List<Payload> payloads) {
    StringBuilder body = new StringBuilder("{\"payloads\":[");
    for (int index = 0; index < payloads.size(); index++) {
      if (index > 0) {
        body.append(',');
      }
      try {
        PRINTER.appendTo(payloads.get(index), body);
      } catch (IOException e) {
        // Appending to a StringBuilder cannot fail, and a Payload has no Any fields to resolve.
        throw new IllegalStateException("cannot print payload " + index, e);
      }
    }
    return body.append("]}").toString();
  }

  private static Payload payload(int index, JsonNode node) throws CodecRequestException {
    String name = "payload " + index;
    if (!node.isObject()) {
      throw badRequest(name + " is not a JSON object");
    }
    JsonNode metadata = node.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        throw badRequest(name + ": metadata must be an object of base64 strings");
      }
      for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
        requireBase64(entry.getValue(), name + ": metadata." + entry.getKey());
      }
    }
    JsonNode data = node.get("data");
    if (data != null && !data.isNull()) {
      requireBase64(data, name + ": data");
    }
    Payload.Builder payload = Payload.newBuilder();
    try {
      PARSER.merge(node.toString(), payload);
    } catch (InvalidProtocolBufferException e) {
      throw badRequest(name + " is not a Payload in proto3 JSON");
    }
    return payload.build();
  }

  /** Accepts the standard and the URL-safe alphabets, padded or not, as {@link JsonFormat} does. */
  private static void requireBase64(JsonNode value, String field) throws CodecRequestException {
    if (!value.isTextual()) {
      throw badRequest(field + " must be a base64 string");
    }
    String text = value.asText();
    try {
      Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException standard) {
      try {
        Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException urlSafe) {
        throw badRequest(field + " is not valid base64");
      }
    }
  }

  private static CodecRequestException badRequest(String message) {
    return new CodecRequestException(400, message);
  }
}
