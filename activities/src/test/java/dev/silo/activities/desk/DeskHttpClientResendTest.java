package dev.silo.activities.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The desk's HTTP client never sends a tool call twice by itself: a POST whose connection is cut
 * after the desk got it fails, and only the activity's retry (with its idempotency key) sends it
 * again. The JDK's client resends a request over a pooled connection found closed only for
 * idempotent methods, unless {@code jdk.httpclient.enableAllMethodRetry} is set; this pins that.
 */
class DeskHttpClientResendTest {

  private final AtomicInteger received = new AtomicInteger();
  private final AtomicBoolean dropReplies = new AtomicBoolean();
  private HttpServer desk;

  @BeforeEach
  void startDesk() throws IOException {
    desk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    desk.createContext("/mcp", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        received.incrementAndGet();
        if (dropReplies.get()) {
          // Closed before any header is sent: the connection ends without an answer.
          throw new IOException("reply dropped");
        }
        byte[] body = "{}".getBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    desk.start();
  }

  @AfterEach
  void stopDesk() {
    desk.stop(0);
  }

  @Test
  void givenAToolCallCutOffAfterTheDeskGotIt_whenSentOverAPooledConnection_itShouldFailWithoutResendingIt()
      throws Exception {
    HttpClient client = DeskHttpClient.newDeskBuilder().version(HttpClient.Version.HTTP_1_1).build();
    client.send(post(), HttpResponse.BodyHandlers.ofString());
    dropReplies.set(true);

    IOException cutOff = catchThrowableOfType(IOException.class,
        () -> client.send(post(), HttpResponse.BodyHandlers.ofString()));

    assertThat(cutOff).as("the cut-off call fails").isNotNull();
    assertThat(received.get()).as("tool calls the desk got: the first, and the cut-off one once").isEqualTo(2);
  }

  private HttpRequest post() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + desk.getAddress().getPort() + "/mcp"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}"))
        .build();
  }
}
