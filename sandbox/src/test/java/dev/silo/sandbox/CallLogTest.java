package dev.silo.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.http.Handlers;
import dev.silo.http.JettyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallLogTest {

  private final CallLog log = new CallLog();
  private final JettyServer server = JettyServer.loopback("call-log-test",
      log.wrap("fly", Handlers.blocking((request, response, callback) ->
          Handlers.send(response, callback, 201, "application/json", "{}"))));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String caller) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/apps"))
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (caller != null) {
      request.header(CallLog.CALLER_HEADER, caller);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void givenACallNamingItsCaller_itShouldBeRecordedWithItsCallerStatusAndTimes() throws Exception {
    post("silo-a-b/CreateApp/7");
    post(null);

    assertThat(log.calls()).hasSize(2);
    assertThat(log.calls()).anySatisfy(call -> {
      assertThat(call.vendor()).isEqualTo("fly");
      assertThat(call.method()).isEqualTo("POST");
      assertThat(call.path()).isEqualTo("/v1/apps");
      assertThat(call.caller()).isEqualTo("silo-a-b/CreateApp/7");
      assertThat(call.status()).isEqualTo(201);
      assertThat(call.end()).isAfterOrEqualTo(call.start());
    });
    assertThat(log.calls()).anySatisfy(call -> assertThat(call.caller()).isNull());
  }
}
