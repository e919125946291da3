package dev.silo.sandbox.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * One answer of the sandbox.
 *
 * @param status the HTTP status
 * @param body the JSON body, or null for none
 * @param headers extra headers
 */
record SandboxResponse(int status, JsonNode body, Map<String, String> headers) {

  static SandboxResponse json(int status, JsonNode body) {
    return new SandboxResponse(status, body, Map.of());
  }

  static SandboxResponse empty(int status) {
    return new SandboxResponse(status, null, Map.of());
  }

  /** The Machines API's {@code ErrorResponse}. */
  static SandboxResponse error(int status, String message) {
    return json(status, JsonNodeFactory.instance.objectNode().put("error", message));
  }
}
