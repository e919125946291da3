package dev.silo.sandbox.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The release demo's health endpoints over real HTTP, answering from what each database says. */
class DemoHealthEndpointsTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Boolean> answering = new ConcurrentHashMap<>(Map.of("dev", true, "prod", true));
  private final Map<String, Optional<Boolean>> rowSecurity =
      new ConcurrentHashMap<>(Map.of("dev", Optional.of(true), "prod", Optional.empty()));

  private final DemoHealthEndpoints endpoints = DemoHealthEndpoints.start(new DemoHealthEndpoints.Databases() {
    @Override
    public String name(String environment) {
      return "expenses_" + environment;
    }

    @Override
    public boolean answers(String environment) {
      return answering.get(environment);
    }

    @Override
    public Optional<Boolean> expensesRowSecurity(String environment) throws SQLException {
      Optional<Boolean> enabled = rowSecurity.get(environment);
      if (enabled == null) {
        throw new SQLException("connection refused");
      }
      return enabled;
    }
  }, List.of("dev", "prod"));

  @AfterEach
  void stop() {
    endpoints.close();
  }

  @Test
  void givenHealthyDatabases_whenEveryEndpointIsAsked_itShouldAnswerOkAndCountThePass() throws Exception {
    assertThat(endpoints.passedOnce("dev")).isFalse();

    HttpResponse<String> db = get("dev", "/health/db");
    HttpResponse<String> rls = get("dev", "/health/rls");
    HttpResponse<String> noTableYet = get("prod", "/health/rls");

    assertThat(db.statusCode()).isEqualTo(200);
    assertThat(db.body()).isEqualTo("ok\n");
    assertThat(db.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(rls.statusCode()).isEqualTo(200);
    assertThat(noTableYet.statusCode()).isEqualTo(200);
    assertThat(endpoints.passedOnce("dev")).isTrue();
    assertThat(endpoints.passedOnce("prod")).isFalse();
  }

  @Test
  void givenADatabaseThatFails_whenAsked_itShouldAnswer503SayingWhat() throws Exception {
    answering.put("prod", false);
    rowSecurity.put("dev", Optional.of(false));
    rowSecurity.remove("prod");

    HttpResponse<String> db = get("prod", "/health/db");
    HttpResponse<String> disabled = get("dev", "/health/rls");
    HttpResponse<String> unreadable = get("prod", "/health/rls");

    assertThat(db.statusCode()).isEqualTo(503);
    assertThat(db.body()).isEqualTo("select 1 failed on expenses_prod\n");
    assertThat(disabled.statusCode()).isEqualTo(503);
    assertThat(disabled.body()).isEqualTo("expenses has row security disabled\n");
    assertThat(unreadable.body()).isEqualTo("the database cannot be read: connection refused\n");
  }

  @Test
  void givenAnotherPathOrMethod_itShouldAnswer404() throws Exception {
    HttpResponse<String> other = get("dev", "/health/other");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(endpoints.baseUrl("dev") + "/health/db"))
        .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());

    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).isEqualTo("not found\n");
    assertThat(post.statusCode()).isEqualTo(404);
  }

  @Test
  void givenTwoEnvironments_eachShouldHaveItsOwnLoopbackServer() {
    assertThat(endpoints.baseUrl("dev")).startsWith("http://127.0.0.1:").isNotEqualTo(endpoints.baseUrl("prod"));
  }

  private HttpResponse<String> get(String environment, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(endpoints.baseUrl(environment) + path)).GET().build(),
        BodyHandlers.ofString());
  }
}
