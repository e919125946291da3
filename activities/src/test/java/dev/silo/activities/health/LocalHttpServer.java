package dev.silo.activities.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP server on a free local port, recording the query string of every request. */
final class LocalHttpServer implements AutoCloseable {

  /** Answers one request; {@code number} counts from 1. */
  interface Handler {
    void handle(HttpExchange exchange, int number) throws IOException;
  }

  final List<String> queries = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  LocalHttpServer(String path, Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(path, exchange -> {
      queries.add(exchange.getRequestURI().getRawQuery());
      try (exchange) {
        handler.handle(exchange, queries.size());
      }
    });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  int requests() {
    return queries.size();
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
