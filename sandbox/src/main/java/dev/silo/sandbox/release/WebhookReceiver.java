package dev.silo.sandbox.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private final HttpServer server;
  private final List<SlackMessage> messages = new ArrayList<>();
  private final Map<String, Incident> incidentsByKey = new LinkedHashMap<>();
  private final List<Incident> incidents = new ArrayList<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts the receiver on a free loopback port. */
  public static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/slack", receiver::slack);
      server.createContext("/incidents", receiver::incident);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("the demo's webhook receiver could not start", e);
    }
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
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + path;
  }

  private void slack(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = postedJson(exchange);
      if (body == null) {
        return;
      }
      synchronized (this) {
        messages.add(new SlackMessage(body.path("text").asText(), body));
      }
      send(exchange, 200, "text/plain", "ok");
    }
  }

  private void incident(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = postedJson(exchange);
      if (body == null) {
        return;
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
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
      send(exchange, 201, "application/json", JSON.createObjectNode().put("id", incident.id()).toString());
    }
  }

  /** The posted JSON object, or null after answering why the request is refused. */
  private static JsonNode postedJson(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "text/plain", "only POST");
      return null;
    }
    try {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      if (body != null && body.isObject()) {
        return body;
      }
    } catch (IOException notJson) {
      // Answered below, as a receiver answers a payload it cannot read.
    }
    send(exchange, 400, "text/plain", "invalid_payload");
    return null;
  }

  private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
