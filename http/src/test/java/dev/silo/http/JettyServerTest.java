package dev.silo.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** A server started the project's way, over real HTTP. */
class JettyServerTest {

  /** A handler belongs to one server, so each server gets its own. */
  private static Handler hello() {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(200);
        Content.Sink.write(response, true, "hello " + Request.getPathInContext(request), callback);
        return true;
      }
    };
  }

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void givenAFreeLoopbackPort_whenStarted_itShouldAnswerThereWithoutNamingItself() throws Exception {
    try (JettyServer server = JettyServer.loopback("test-server", hello())) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/there")).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

      assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
      assertThat(server.port()).isPositive();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("hello /there");
      assertThat(response.headers().firstValue("Server")).isEmpty();
    }
  }

  @Test
  void givenThePortIsTaken_whenStarted_itShouldThrowTheBindExceptionAndFreeNothingElse() throws Exception {
    try (JettyServer first = JettyServer.loopback("first", hello())) {
      assertThatThrownBy(() -> JettyServer.start(JettyServer.LOOPBACK, first.port(), "second", hello()))
          .isInstanceOf(BindException.class);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(first.url() + "/still")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello /still");
    }
  }

  @Test
  void givenAClosedServer_itsPortShouldBeFreeAgain() throws Exception {
    JettyServer server = JettyServer.loopback("closing", hello());
    int port = server.port();
    server.close();

    try (JettyServer again = JettyServer.start(JettyServer.LOOPBACK, port, "again", hello())) {
      assertThat(again.port()).isEqualTo(port);
    }
  }
}
