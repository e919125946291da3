package dev.silo.activities.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server standing in for Slack or an incident tool: it records every request it gets
 * and answers with a status, headers and body set by the test.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as the receiver got it. */
  record Received(String method, String path, String contentType, String idempotencyKey, String body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile int status = 200;
  private volatile String answer = "ok";
  private volatile Map<String, String> headers = Map.of();
  private volatile boolean dropReplies;

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        received.add(new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Idempotency-Key"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        if (dropReplies) {
          // Closing the exchange before any header is sent closes the connection: the sender sees
          // the stream end without an answer, as when a network fails after the request arrived.
          throw new IOException("reply dropped");
        }
        headers.forEach(exchange.getResponseHeaders()::set);
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          exchange.getResponseBody().write(bytes);
        }
      }
    });
    server.start();
  }

  /** Makes every later request get this answer. */
  void answer(int status, String body, Map<String, String> headers) {
    this.status = status;
    this.answer = body;
    this.headers = headers;
  }

  /** Makes every later request be recorded, then its connection closed without an answer. */
  void dropReplies() {
    dropReplies = true;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
