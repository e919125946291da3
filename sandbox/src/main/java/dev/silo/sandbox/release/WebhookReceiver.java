package dev.silo.sandbox.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.http.Handlers;
import dev.silo.http.JettyServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Stands in for Slack's incoming webhook and an incident tool's webhook in the release demo, and
 * records what it receives. {@code POST /slack} answers {@code ok} as Slack does; {@code POST
 * /incidents} answers {@code {"id": "INC-<n>"}}, the same incident again for a request carrying an
 * {@code Idempotency-Key} it has seen, as incident tools do.
 */
public final class WebhookReceiver implements AutoCloseable {

  /**
   * A Slack message received.
   *
   * @param text the message's {@code text}
   * @param body the whole payload
   */
  public record SlackMessage(String text, JsonNode body) {}

  /**
   * An incident opened.
   *
   * @param id the ID answered
   * @param title its {@code title}
   * @param severity its {@code severity}
   * @param body the whole payload
   */
  public record Incident(String id, String title, String severity, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<SlackMessage> messages = new ArrayList<>();
  private final Map<String, Incident> incidentsByKey = new LinkedHashMap<>();
  private final List<Incident> incidents = new ArrayList<>();
  private final JettyServer server;

  private WebhookReceiver() {
    PathMappingsHandler routes = new PathMappingsHandler();
    routes.addMapping(PathSpec.from("/slack/*"), Handlers.blocking(this::slack));
    routes.addMapping(PathSpec.from("/incidents/*"), Handlers.blocking(this::incident));
    this.server = JettyServer.loopback("the demo's webhook receiver", routes);
  }

  /** Starts the receiver on a free loopback port. */
  public static WebhookReceiver start() {
    return new WebhookReceiver();
  }

  /** The URL the worker gets as its Slack webhook. */
  public String slackUrl() {
    return url("/slack");
  }

  /** The URL the worker gets as its incident webhook. */
  public String incidentUrl() {
    return url("/incidents");
  }

  /** The Slack messages received, oldest first. */
  public synchronized List<SlackMessage> slackMessages() {
    return List.copyOf(messages);
  }

  /** The incidents opened, oldest first; a repeated request opens none. */
  public synchronized List<Incident> incidents() {
    return List.copyOf(incidents);
  }

  private String url(String path) {
    return server.url() + path;
  }

  private void slack(Request request, Response response, Callback callback) throws IOException {
    JsonNode body = postedJson(request, response, callback);
    if (body == null) {
      return;
    }
    synchronized (this) {
      messages.add(new SlackMessage(body.path("text").asText(), body));
    }
    Handlers.send(response, callback, 200, "text/plain", "ok");
  }

  private void incident(Request request, Response response, Callback callback) throws IOException {
    JsonNode body = postedJson(request, response, callback);
    if (body == null) {
      return;
    }
    String key = request.getHeaders().get("Idempotency-Key");
    Incident incident;
    synchronized (this) {
      incident = key == null ? null : incidentsByKey.get(key);
      if (incident == null) {
        incident = new Incident("INC-" + (incidents.size() + 1), body.path("title").asText(),
            body.path("severity").asText(), body);
        incidents.add(incident);
        if (key != null) {
          incidentsByKey.put(key, incident);
        }
      }
    }
    Handlers.send(response, callback, 201, "application/json",
        JSON.createObjectNode().put("id", incident.id()).toString());
  }

  /** The posted JSON object, or null after answering why the request is refused. */
  private static JsonNode postedJson(Request request, Response response, Callback callback) throws IOException {
    if (!"POST".equals(request.getMethod())) {
      Handlers.send(response, callback, 405, "text/plain", "only POST");
      return null;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      JsonNode body = JSON.readTree(in);
      if (body != null && body.isObject()) {
        return body;
      }
    } catch (IOException notJson) {
      // Answered below, as a receiver answers a payload it cannot read.
    }
    Handlers.send(response, callback, 400, "text/plain", "invalid_payload");
    return null;
  }

  @Override
  public void close() {
    server.close();
  }
}
