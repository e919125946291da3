package dev.silo.activities.desk;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeskActivities} on the Somtech Service Desk's MCP server, with the runbook's argument
 * shapes:
 *
 * <ul>
 *   <li>{@code applications.get {client, app}}, answered {@code {client, app, name, silo}};
 *   <li>{@code update_silo_status {client, app, status, details, idempotency_key}};
 *   <li>{@code log_silo_event {client, app, event, actor, details, idempotency_key}};
 *   <li>{@code applications.update {client, app, data: {silo}, idempotency_key}}.
 * </ul>
 *
 * <p>Writes are answered {@code {duplicate, ...}}: {@code duplicate} is true when the desk had
 * already recorded the key (an answer without it counts as a first write). Answers are read from
 * the tool result's structured content, or from its text content as JSON when it has none.
 *
 * <p>Never logs details or silo sections (they hold connection URLs and keys), only which tool was
 * called for which silo with which idempotency key.
 */
public final class DeskActivitiesImpl implements DeskActivities, AutoCloseable {

  /** The desk's MCP endpoint, e.g. {@code https://desk.example/mcp}. */
  public static final String URL_VARIABLE = "SOMTECH_DESK_URL";

  /** The desk's API key, sent as {@code Authorization: Bearer}. */
  public static final String API_KEY_VARIABLE = "SOMTECH_DESK_API_KEY";

  private static final Logger log = LoggerFactory.getLogger(DeskActivitiesImpl.class);

  private final DeskClient desk;
  private final DeskToolNames tools;

  /**
   * @param endpoint the desk's MCP endpoint
   * @param apiKey the desk's API key
   * @param tools the desk's tool names
   * @throws IllegalArgumentException when the endpoint is not an absolute http(s) URL without
   *     credentials, or the key is blank
   */
  public DeskActivitiesImpl(URI endpoint, String apiKey, DeskToolNames tools) {
    this(
        new DeskClient(
            endpoint,
            apiKey,
            DeskClient.DEFAULT_CONNECT_TIMEOUT,
            DeskClient.DEFAULT_REQUEST_TIMEOUT),
        tools);
  }

  DeskActivitiesImpl(DeskClient desk, DeskToolNames tools) {
    this.desk = desk;
    this.tools = tools;
  }

  /**
   * The activities on the worker's desk.
   *
   * @throws IllegalArgumentException when the endpoint is not an absolute http(s) URL without
   *     credentials
   */
  public DeskActivitiesImpl(DeskSettings settings) {
    this(settings.endpoint(), settings.apiKey().reveal(), settings.tools());
  }

  @Override
  public DeskApplication getApplication(GetApplicationRequest request) {
    Map<String, Object> arguments = silo(request.client(), request.app());
    ApplicationAnswer answer =
        desk.read(tools.applicationsGet(), arguments, ApplicationAnswer.class);
    return new DeskApplication(
        answer.client() == null ? request.client() : answer.client(),
        answer.app() == null ? request.app() : answer.app(),
        answer.name(),
        answer.silo());
  }

  @Override
  public DeskAck updateSiloStatus(UpdateSiloStatusRequest request) {
    Map<String, Object> arguments = silo(request.client(), request.app());
    arguments.put("status", required(request.status(), "status"));
    arguments.put("details", orEmpty(request.details()));
    return write(tools.updateSiloStatus(), arguments, request.idempotencyKey());
  }

  @Override
  public DeskAck logSiloEvent(LogSiloEventRequest request) {
    Map<String, Object> arguments = silo(request.client(), request.app());
    arguments.put("event", required(request.event(), "event"));
    arguments.put("actor", required(request.actor(), "actor"));
    arguments.put("details", orEmpty(request.details()));
    return write(tools.logSiloEvent(), arguments, request.idempotencyKey());
  }

  @Override
  public DeskAck updateApplication(UpdateApplicationRequest request) {
    Map<String, Object> arguments = silo(request.client(), request.app());
    arguments.put("data", Map.of("silo", orEmpty(request.silo())));
    return write(tools.applicationsUpdate(), arguments, request.idempotencyKey());
  }

  private DeskAck write(String tool, Map<String, Object> arguments, String idempotencyKey) {
    arguments.put("idempotency_key", required(idempotencyKey, "idempotency key"));
    Acknowledgement answer = desk.write(tool, arguments, Acknowledgement.class);
    log.info(
        "Desk {} for {}/{} ({}): {}",
        tool,
        arguments.get("client"),
        arguments.get("app"),
        idempotencyKey,
        answer.duplicate() ? "already recorded, nothing written" : "recorded");
    return new DeskAck(tool, idempotencyKey, answer.duplicate());
  }

  /** Ends the desk session. */
  @Override
  public void close() {
    desk.close();
  }

  private static Map<String, Object> silo(String client, String app) {
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("client", required(client, "client"));
    arguments.put("app", required(app, "app"));
    return arguments;
  }

  private static Map<String, Object> orEmpty(Map<String, Object> map) {
    return map == null ? Map.of() : map;
  }

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The desk request has no " + what, FailureType.INVALID_REQUEST.type());
    }
    return value;
  }

  /** The answer of {@code applications.get}; fields the desk adds are ignored. */
  record ApplicationAnswer(String client, String app, String name, Map<String, Object> silo) {}

  /** The answer of a write; fields the desk adds are ignored. */
  record Acknowledgement(boolean duplicate) {}
}
