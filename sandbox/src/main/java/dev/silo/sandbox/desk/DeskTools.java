package dev.silo.sandbox.desk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.sandbox.desk.DeskSandbox.Application;
import dev.silo.sandbox.desk.DeskSandbox.SiloEvent;
import dev.silo.sandbox.desk.DeskSandbox.SiloStatus;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The desk's four tools, with their input schemas, over {@link DeskState}. A tool checks its
 * arguments as strictly as its schema states (an argument the schema does not name is refused), so
 * a client that drifts from the seed's shapes fails here rather than against the real desk.
 */
final class DeskTools {

  private final DeskState state;
  private final Map<String, String> names;
  private final boolean structuredAnswers;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Map<Integer, String>> plannedErrors = new ConcurrentHashMap<>();

  /**
   * @param names the exposed tool name of each operation ({@link DeskSandbox#APPLICATIONS_GET}...)
   * @param structuredAnswers whether answers carry structuredContent besides their JSON text
   */
  DeskTools(DeskState state, Map<String, String> names, boolean structuredAnswers) {
    this.state = state;
    this.names = Map.copyOf(names);
    this.structuredAnswers = structuredAnswers;
  }

  /** The {@code nth} call of the tool (1-based, counted by {@link DeskGate}) answers isError. */
  void failCall(String tool, int nth, String message) {
    plannedErrors.computeIfAbsent(tool, key -> new ConcurrentHashMap<>()).put(nth, message);
  }

  List<SyncToolSpecification> specifications() {
    return List.of(
        tool(
            DeskSandbox.APPLICATIONS_GET,
            "Reads an application record: its name and its silo section.",
            Map.of("client", string(), "app", string()),
            this::getApplication),
        tool(
            DeskSandbox.UPDATE_SILO_STATUS,
            "Sets a silo's status with its details; the idempotency key makes a repeat a no-op.",
            Map.of(
                "client", string(),
                "app", string(),
                "status", string(),
                "details", object(),
                "idempotency_key", string()),
            this::updateSiloStatus),
        tool(
            DeskSandbox.LOG_SILO_EVENT,
            "Logs an event on a silo; the idempotency key makes a repeat a no-op.",
            Map.of(
                "client", string(),
                "app", string(),
                "event", string(),
                "actor", string(),
                "details", object(),
                "idempotency_key", string()),
            this::logSiloEvent),
        tool(
            DeskSandbox.APPLICATIONS_UPDATE,
            "Updates an application record; data.silo replaces its silo section.",
            Map.of(
                "client", string(),
                "app", string(),
                "data",
                    Map.of(
                        "type", "object",
                        "properties", Map.of("silo", object()),
                        "required", List.of("silo"),
                        "additionalProperties", false),
                "idempotency_key", string()),
            this::updateApplication));
  }

  private Map<String, Object> getApplication(Arguments arguments) {
    Application application = existing(arguments.text("client"), arguments.text("app"));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("client", application.client());
    answer.put("app", application.app());
    answer.put("name", application.name());
    answer.put("silo", application.silo());
    return answer;
  }

  private Map<String, Object> updateSiloStatus(Arguments arguments) {
    Application application = existing(arguments.text("client"), arguments.text("app"));
    String key = arguments.text("idempotency_key");
    SiloStatus status =
        new SiloStatus(arguments.text("status"), arguments.object("details"), key);
    boolean duplicate =
        state.setStatus(
            application.client(), application.app(), status, DeskSandbox.UPDATE_SILO_STATUS, key);
    return acknowledgement(key, duplicate);
  }

  private Map<String, Object> logSiloEvent(Arguments arguments) {
    Application application = existing(arguments.text("client"), arguments.text("app"));
    String key = arguments.text("idempotency_key");
    SiloEvent event =
        new SiloEvent(
            arguments.text("event"), arguments.text("actor"), arguments.object("details"), key);
    boolean duplicate =
        state.appendEvent(
            application.client(), application.app(), event, DeskSandbox.LOG_SILO_EVENT, key);
    return acknowledgement(key, duplicate);
  }

  private Map<String, Object> updateApplication(Arguments arguments) {
    Application application = existing(arguments.text("client"), arguments.text("app"));
    String key = arguments.text("idempotency_key");
    Arguments data = new Arguments(arguments.object("data"), Map.of("silo", object()));
    boolean duplicate =
        state.setSilo(
            application.client(),
            application.app(),
            data.object("silo"),
            DeskSandbox.APPLICATIONS_UPDATE,
            key);
    return acknowledgement(key, duplicate);
  }

  private Application existing(String client, String app) {
    return state
        .application(client, app)
        .orElseThrow(() -> new Refusal("Application " + client + "/" + app + " not found"));
  }

  private static Map<String, Object> acknowledgement(String key, boolean duplicate) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("idempotency_key", key);
    answer.put("duplicate", duplicate);
    return answer;
  }

  private SyncToolSpecification tool(
      String operation,
      String description,
      Map<String, Object> properties,
      Function<Arguments, Map<String, Object>> action) {
    String name = names.get(operation);
    Tool tool =
        Tool.builder()
            .name(name)
            .description(description)
            .inputSchema(
                new JsonSchema(
                    "object", properties, List.copyOf(properties.keySet()), false, null, null))
            .build();
    return new SyncToolSpecification(
        tool, (exchange, request) -> call(name, properties, action, exchange, request));
  }

  private CallToolResult call(
      String name,
      Map<String, Object> properties,
      Function<Arguments, Map<String, Object>> action,
      McpSyncServerExchange exchange,
      CallToolRequest request) {
    String planned = plannedError(name, exchange);
    if (planned != null) {
      return error(planned);
    }
    try {
      return answer(action.apply(new Arguments(request.arguments(), properties)));
    } catch (Refusal refusal) {
      return error(refusal.getMessage());
    }
  }

  private String plannedError(String name, McpSyncServerExchange exchange) {
    Map<Integer, String> planned = plannedErrors.get(name);
    if (planned != null
        && exchange.transportContext().get(DeskGate.CALL_NUMBER) instanceof Integer nth) {
      return planned.get(nth);
    }
    return null;
  }

  private CallToolResult answer(Map<String, Object> answer) {
    String text;
    try {
      text = json.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    CallToolResult.Builder result = CallToolResult.builder().addTextContent(text).isError(false);
    if (structuredAnswers) {
      result.structuredContent(answer);
    }
    return result.build();
  }

  private static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private static Map<String, Object> string() {
    return Map.of("type", "string", "minLength", 1);
  }

  private static Map<String, Object> object() {
    return Map.of("type", "object");
  }

  /** A call the desk refuses with a tool error rather than a protocol error. */
  private static final class Refusal extends RuntimeException {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  /** A tool's arguments, checked against the properties its schema names. */
  private static final class Arguments {

    private final Map<String, Object> values;

    Arguments(Map<String, Object> values, Map<String, Object> properties) {
      this.values = values == null ? Map.of() : values;
      for (String name : this.values.keySet()) {
        if (!properties.containsKey(name)) {
          throw new Refusal("Invalid arguments: unexpected argument '" + name + "'");
        }
      }
    }

    String text(String name) {
      if (values.get(name) instanceof String text && !text.isBlank()) {
        return text;
      }
      throw new Refusal("Invalid arguments: '" + name + "' must be a non-empty string");
    }

    Map<String, Object> object(String name) {
      if (values.get(name) instanceof Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
      }
      throw new Refusal("Invalid arguments: '" + name + "' must be an object");
    }
  }
}
