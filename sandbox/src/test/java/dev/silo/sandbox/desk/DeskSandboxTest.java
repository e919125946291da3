package dev.silo.sandbox.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeskSandboxTest {

  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
          + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

  private final DeskSandbox desk = DeskSandbox.start().application("acme", "crm", "Acme CRM");
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void closeDesk() {
    desk.close();
  }

  @Test
  void givenNoKey_whenPosting_itShouldAnswer401WithJsonAndABearerChallenge() throws Exception {
    HttpResponse<String> response = post(null, INITIALIZE);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        challenge -> assertThat(challenge).startsWith("Bearer"));
    assertThat(response.body()).contains("\"error\"");
  }

  @Test
  void givenTheKey_whenInitializing_itShouldOpenAnMcpSession() throws Exception {
    HttpResponse<String> response = post(desk.apiKey(), INITIALIZE);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
  }

  @Test
  void givenA503PlannedForTheFirstCall_whenCallingTheTool_itShouldAnswer503WithRetryAfter()
      throws Exception {
    desk.retryAfter(Duration.ofSeconds(3)).faults().failCall(DeskSandbox.LOG_SILO_EVENT, 1, 503);
    String call =
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
            + "\"log_silo_event\",\"arguments\":{}}}";

    HttpResponse<String> response = post(desk.apiKey(), call);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(desk.callCount(DeskSandbox.LOG_SILO_EVENT)).isEqualTo(1);
  }

  @Test
  void givenAResetPlannedForTheFirstCall_whenCallingTheTool_itShouldCloseTheConnectionAndLogNothing()
      throws Exception {
    String session = openSession();
    desk.faults().resetBefore(DeskSandbox.LOG_SILO_EVENT, 1);

    assertThatThrownBy(() -> post(desk.apiKey(), session, logEvent("reset-1"))).isInstanceOf(IOException.class);

    assertThat(desk.events("acme", "crm")).isEmpty();
    assertThat(post(desk.apiKey(), session, logEvent("reset-1")).statusCode()).isEqualTo(200);
    assertThat(desk.events("acme", "crm")).hasSize(1);
  }

  @Test
  void givenADroppedReplyPlannedForTheFirstCall_whenCallingTheTool_itShouldLogTheEventAndCloseTheConnection()
      throws Exception {
    String session = openSession();
    desk.faults().dropReply(DeskSandbox.LOG_SILO_EVENT, 1);

    assertThatThrownBy(() -> post(desk.apiKey(), session, logEvent("dropped-1"))).isInstanceOf(IOException.class);

    assertThat(desk.events("acme", "crm")).singleElement()
        .satisfies(event -> assertThat(event.event()).isEqualTo("provisioned"));
    assertThat(desk.callCount(DeskSandbox.LOG_SILO_EVENT)).isEqualTo(1);
  }

  @Test
  void givenAnSdkClient_whenListingTools_itShouldSeeTheFourToolsWithStrictSchemas() {
    try (McpSyncClient client = client()) {
      client.initialize();

      assertThat(client.listTools().tools())
          .extracting(Tool::name)
          .containsExactlyInAnyOrder(
              "applications.get", "update_silo_status", "log_silo_event", "applications.update");
      assertThat(client.listTools().tools())
          .allSatisfy(tool -> assertThat(tool.inputSchema().additionalProperties()).isFalse());
    }
  }

  @Test
  void givenAnUnexpectedArgument_whenCallingATool_itShouldAnswerAToolError() {
    try (McpSyncClient client = client()) {
      CallToolResult result =
          client.callTool(
              new CallToolRequest(
                  DeskSandbox.APPLICATIONS_GET,
                  Map.of("client", "acme", "app", "crm", "extra", "x")));

      assertThat(result.isError()).isTrue();
      assertThat(result.content().get(0))
          .isInstanceOfSatisfying(
              TextContent.class, text -> assertThat(text.text()).contains("'extra'"));
    }
  }

  private McpSyncClient client() {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(desk.url().resolve("/").toString())
            .endpoint(desk.url().getPath())
            .customizeRequest(request -> request.header("Authorization", "Bearer " + desk.apiKey()))
            .build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(5)).build();
  }

  /** Initializes an MCP session over plain HTTP and returns its ID. */
  private String openSession() throws Exception {
    HttpResponse<String> initialized = post(desk.apiKey(), INITIALIZE);
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
    post(desk.apiKey(), session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    return session;
  }

  private static String logEvent(String idempotencyKey) {
    return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"log_silo_event\","
        + "\"arguments\":{\"client\":\"acme\",\"app\":\"crm\",\"event\":\"provisioned\",\"actor\":\"t\","
        + "\"details\":{},\"idempotency_key\":\"" + idempotencyKey + "\"}}}";
  }

  private HttpResponse<String> post(String key, String session, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(desk.url())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + key)
        .header("Mcp-Session-Id", session)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String key, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(desk.url())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
