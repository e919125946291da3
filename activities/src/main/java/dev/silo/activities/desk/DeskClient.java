package dev.silo.activities.desk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.activities.http.CallerHeader;
import dev.silo.workflows.FailureType;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Somtech Service Desk's MCP server, through the official MCP Java SDK over Streamable HTTP,
 * with the API key as {@code Authorization: Bearer} on every request.
 *
 * <p>One MCP session, initialized on first use and shared by concurrent calls. A call that fails
 * without an answer from the desk (I/O, timeout, a session the desk no longer knows) drops the
 * session, and the next call opens a new one.
 *
 * <p>Every error is classified here, once, into an {@link ApplicationFailure}:
 *
 * <ul>
 *   <li>a tool result with {@code isError}: {@code VENDOR_REJECTED}, not retried, with the desk's
 *       text; for a read, a text saying "not found" is {@code NOT_FOUND}, not retried;
 *   <li>HTTP 408, 429 and 5xx: {@code VENDOR_UNAVAILABLE}, retried, after the desk's {@code
 *       Retry-After} for 429 and 503 when it gives one;
 *   <li>any other HTTP 4xx (401 for a wrong key, 403, 404 for a wrong URL...): {@code
 *       VENDOR_REJECTED}, not retried, with the desk's message;
 *   <li>a JSON-RPC error (an unknown tool, invalid parameters): {@code VENDOR_REJECTED}, not
 *       retried; an internal error of the desk: {@code VENDOR_UNAVAILABLE}, retried;
 *   <li>anything else (connection refused or reset, timeout, a session lost): {@code
 *       VENDOR_UNAVAILABLE}, retried.
 * </ul>
 *
 * <p>Failures carry a message only, never the SDK's exceptions as causes, and every message has
 * the API key masked: what lands in a workflow history or a log cannot hold it.
 *
 * <p>It is one unit over 300 lines because it is one vendor's API surface with one shared session
 * and one error classification; split, the classification would be repeated or drift apart.
 */
final class DeskClient implements AutoCloseable {

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final Implementation CLIENT_INFO = new Implementation("silo-deployer", "0.1.0");
  private static final Pattern NOT_FOUND = Pattern.compile("(?i)\\bnot[ _-]?found\\b");
  private static final String MASK = "[redacted]";

  private final URI endpoint;
  private final String apiKey;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final ObjectMapper json =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final JacksonMcpJsonMapper mcpJson = new JacksonMcpJsonMapper(new ObjectMapper());

  private final Object lock = new Object();
  private McpSyncClient session;
  private boolean closed;

  /**
   * @param endpoint the MCP endpoint, e.g. {@code https://desk.example/mcp}
   * @param apiKey sent as a bearer token
   * @param connectTimeout how long opening a connection may take
   * @param requestTimeout how long the desk may take to answer one call (or the initialization)
   * @throws IllegalArgumentException when the endpoint is not an absolute http(s) URL, carries
   *     credentials, or the key is blank
   */
  DeskClient(URI endpoint, String apiKey, Duration connectTimeout, Duration requestTimeout) {
    String scheme = endpoint.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException("The desk URL must be an absolute http(s) URL");
    }
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "The desk URL must not carry credentials; the API key is configured on its own");
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("The desk API key is blank");
    }
    this.endpoint = endpoint;
    this.apiKey = apiKey;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  /**
   * Calls a tool that reads, and maps its answer onto {@code answerType}.
   *
   * @throws ApplicationFailure {@code NOT_FOUND} when the desk's tool error says not found, or as
   *     classified above
   */
  <T> T read(String tool, Map<String, Object> arguments, Class<T> answerType) {
    return call(tool, arguments, answerType, true);
  }

  /**
   * Calls a tool that writes, and maps its answer onto {@code answerType}.
   *
   * @throws ApplicationFailure as classified above
   */
  <T> T write(String tool, Map<String, Object> arguments, Class<T> answerType) {
    return call(tool, arguments, answerType, false);
  }

  private <T> T call(
      String tool, Map<String, Object> arguments, Class<T> answerType, boolean isRead) {
    CallToolResult result = callTool(tool, arguments);
    if (Boolean.TRUE.equals(result.isError())) {
      throw toolError(tool, result, isRead);
    }
    return answer(tool, result, answerType);
  }

  private CallToolResult callTool(String tool, Map<String, Object> arguments) {
    McpSyncClient used = null;
    try {
      used = session();
      return used.callTool(new CallToolRequest(tool, arguments));
    } catch (RuntimeException e) {
      // The one place where the SDK's and the JDK's exceptions become failure types.
      throw classify(tool, e, used);
    }
  }

  private McpSyncClient session() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("The desk client is closed");
      }
      if (session == null) {
        McpSyncClient opened = open();
        try {
          opened.initialize();
        } catch (RuntimeException e) {
          opened.close();
          throw e;
        }
        session = opened;
      }
      return session;
    }
  }

  private McpSyncClient open() {
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
        ? "/"
        : endpoint.getRawPath();
    String query = endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery();
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(
                endpoint.getScheme() + "://" + endpoint.getRawAuthority())
            .endpoint(path + query)
            .clientBuilder(DeskHttpClient.newDeskBuilder())
            .connectTimeout(connectTimeout)
            .jsonMapper(mcpJson)
            .httpRequestCustomizer(
                (request, method, uri, body, context) -> {
                  request.header("Authorization", "Bearer " + apiKey);
                  if (context.get(CallerHeader.NAME) instanceof String caller) {
                    request.header(CallerHeader.NAME, caller);
                  }
                })
            .build();
    return McpClient.sync(transport)
        .clientInfo(CLIENT_INFO)
        .requestTimeout(requestTimeout)
        .initializationTimeout(requestTimeout)
        .transportContextProvider(() -> CallerHeader.current()
            .map(caller -> McpTransportContext.create(Map.of(CallerHeader.NAME, caller)))
            .orElse(McpTransportContext.EMPTY))
        .build();
  }

  /** Forgets the session a failed call used, unless another call already replaced it. */
  private void drop(McpSyncClient used) {
    if (used == null) {
      return;
    }
    synchronized (lock) {
      if (session != used) {
        return;
      }
      session = null;
    }
    used.close();
  }

  private ApplicationFailure classify(String tool, RuntimeException error, McpSyncClient used) {
    DeskHttpStatusException http = causeOf(error, DeskHttpStatusException.class);
    if (http != null) {
      return httpFailure(tool, http);
    }
    McpError rpc = causeOf(error, McpError.class);
    if (rpc != null) {
      JSONRPCError detail = rpc.getJsonRpcError();
      String message =
          "The desk refused "
              + tool
              + ": "
              + rpc.getMessage()
              + (detail == null || detail.data() == null ? "" : " (" + detail.data() + ")");
      boolean internal =
          detail != null && Integer.valueOf(ErrorCodes.INTERNAL_ERROR).equals(detail.code());
      return internal ? unavailable(message, null) : rejected(message, FailureType.VENDOR_REJECTED);
    }
    if (causeOf(error, InterruptedException.class) != null) {
      // The SDK wraps the interruption (a cancelled activity); the thread must still see it.
      Thread.currentThread().interrupt();
    }
    drop(used);
    return unavailable("The desk could not be reached for " + tool + ": " + describe(error), null);
  }

  private ApplicationFailure httpFailure(String tool, DeskHttpStatusException http) {
    int status = http.status();
    String message =
        "The desk answered HTTP " + status + " for " + tool + ": " + http.deskMessage();
    if (status == 408 || status == 429 || status >= 500) {
      Duration delay = status == 429 || status == 503 ? http.retryAfter() : null;
      return unavailable(message, delay);
    }
    return rejected(message, FailureType.VENDOR_REJECTED);
  }

  private ApplicationFailure toolError(String tool, CallToolResult result, boolean isRead) {
    String text = text(result);
    String message = "The desk refused " + tool + ": " + (text.isEmpty() ? "no message" : text);
    boolean notFound = isRead && NOT_FOUND.matcher(text).find();
    return rejected(message, notFound ? FailureType.NOT_FOUND : FailureType.VENDOR_REJECTED);
  }

  /** The structured content if the desk sent one, else its text content read as JSON. */
  private <T> T answer(String tool, CallToolResult result, Class<T> answerType) {
    try {
      JsonNode answer =
          result.structuredContent() != null
              ? json.valueToTree(result.structuredContent())
              : json.readTree(text(result));
      if (answer == null || !answer.isObject()) {
        throw new IOException("not a JSON object");
      }
      return json.treeToValue(answer, answerType);
    } catch (IOException | IllegalArgumentException e) {
      throw rejected(
          "The desk's answer to " + tool + " is not what was expected: " + e.getMessage(),
          FailureType.VENDOR_REJECTED);
    }
  }

  private static String text(CallToolResult result) {
    if (result.content() == null) {
      return "";
    }
    return result.content().stream()
        .flatMap(
            content ->
                content instanceof TextContent text ? Stream.of(text.text()) : Stream.empty())
        .collect(Collectors.joining("\n"))
        .strip();
  }

  private ApplicationFailure rejected(String message, FailureType type) {
    return ApplicationFailure.newNonRetryableFailure(mask(message), type.type());
  }

  private ApplicationFailure unavailable(String message, Duration retryAfter) {
    ApplicationFailure.Builder failure =
        ApplicationFailure.newBuilder()
            .setMessage(mask(message))
            .setType(FailureType.VENDOR_UNAVAILABLE.type())
            .setNonRetryable(false);
    if (retryAfter != null) {
      failure.setNextRetryDelay(retryAfter);
    }
    return failure.build();
  }

  /** The innermost cause, which says what actually went wrong. */
  private String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof TimeoutException) {
      return "no answer within " + requestTimeout.toSeconds() + "s";
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private String mask(String message) {
    return message.replace(apiKey, MASK);
  }

  private static <E extends Throwable> E causeOf(Throwable error, Class<E> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  /** Ends the session, telling the desk so; calls made afterwards fail. */
  @Override
  public void close() {
    McpSyncClient open;
    synchronized (lock) {
      closed = true;
      open = session;
      session = null;
    }
    if (open != null) {
      open.closeGracefully();
    }
  }
}
