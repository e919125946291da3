package dev.silo.sandbox.desk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.sandbox.CallLog;
import dev.silo.sandbox.Faults;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The Somtech Service Desk, emulated: an MCP server built with the official Java SDK (Streamable
 * HTTP servlet transport in an embedded Jetty) on a loopback port, with the desk's four tools and
 * their state in memory.
 *
 * <p>Every request must carry {@code Authorization: Bearer <apiKey>}, or it is answered 401 with a
 * JSON body. Writes are deduplicated by their {@code idempotency_key}: a key seen before changes
 * nothing and is answered {@code duplicate: true}.
 *
 * <p>Faults, per tool (the operation name in {@link #faults()} is the tool's exposed name): a
 * latency, an HTTP status for the Nth call (answered before the MCP server sees the call, with
 * {@code Retry-After} for 429 and 503), a connection closed without an answer for the Nth call,
 * before the call is carried out ({@link Faults#resetBefore}) or after ({@link Faults#dropReply}),
 * or a tool result with {@code isError} for the Nth call ({@link #failToolCall}). Both count every call of the tool that passed the key check, failed or
 * not; calls of one tool that arrive concurrently are numbered in arrival order by each.
 */
public final class DeskSandbox implements AutoCloseable {

  /** Reads an application: {@code {client, app}} → {@code {client, app, name, silo}}. */
  public static final String APPLICATIONS_GET = "applications.get";

  /** Sets a silo's status: {@code {client, app, status, details, idempotency_key}}. */
  public static final String UPDATE_SILO_STATUS = "update_silo_status";

  /** Logs a silo event: {@code {client, app, event, actor, details, idempotency_key}}. */
  public static final String LOG_SILO_EVENT = "log_silo_event";

  /** Writes an application's silo section: {@code {client, app, data: {silo}, idempotency_key}}. */
  public static final String APPLICATIONS_UPDATE = "applications.update";

  private static final String ENDPOINT = "/mcp";

  /** An application record as the desk holds it. */
  public record Application(String client, String app, String name, Map<String, Object> silo) {
    public Application {
      silo = Collections.unmodifiableMap(new LinkedHashMap<>(silo));
    }
  }

  /** A silo's status as last set, with the key that set it. */
  public record SiloStatus(String status, Map<String, Object> details, String idempotencyKey) {
    public SiloStatus {
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  /** An event logged on a silo. */
  public record SiloEvent(
      String event, String actor, Map<String, Object> details, String idempotencyKey) {
    public SiloEvent {
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  private final String apiKey;
  private final Faults faults = new Faults();
  private final DeskState state = new DeskState();
  private final DeskGate gate;
  private final DeskTools tools;
  private final McpSyncServer mcpServer;
  private final Server jetty;
  private final URI url;

  private DeskSandbox(Builder builder) throws Exception {
    this.apiKey = builder.apiKey;
    this.gate = new DeskGate(apiKey, faults);
    this.tools = new DeskTools(state, builder.toolNames, builder.structuredAnswers);
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
            .mcpEndpoint(ENDPOINT)
            .contextExtractor(
                request ->
                    request.getAttribute(DeskGate.CALL_NUMBER) instanceof Integer nth
                        ? McpTransportContext.create(Map.of(DeskGate.CALL_NUMBER, nth))
                        : McpTransportContext.EMPTY)
            .build();
    this.mcpServer =
        McpServer.sync(transport)
            .serverInfo("somtech-desk-sandbox", "1.0.0")
            .capabilities(ServerCapabilities.builder().tools(false).build())
            .tools(tools.specifications())
            .build();
    this.jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    FilterHolder gateHolder = new FilterHolder(gate);
    gateHolder.setAsyncSupported(true);
    context.addFilter(gateHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder transportHolder = new ServletHolder(transport);
    transportHolder.setAsyncSupported(true);
    context.addServlet(transportHolder, ENDPOINT);
    jetty.setHandler(builder.callLog.wrap("desk", context));
    try {
      jetty.start();
    } catch (Exception e) {
      mcpServer.close();
      jetty.stop();
      throw e;
    }
    this.url = URI.create("http://127.0.0.1:" + connector.getLocalPort() + ENDPOINT);
  }

  /** Starts a desk with a random API key and the default tool names. */
  public static DeskSandbox start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The MCP endpoint, as {@code SOMTECH_DESK_URL} names it. */
  public URI url() {
    return url;
  }

  /** The key the desk accepts, as {@code SOMTECH_DESK_API_KEY} holds it. */
  public String apiKey() {
    return apiKey;
  }

  /** Latencies and HTTP statuses per tool; the operation is the tool's exposed name. */
  public Faults faults() {
    return faults;
  }

  /** The {@code nth} call (1-based) of the tool is answered with isError and this message. */
  public DeskSandbox failToolCall(String tool, int nth, String message) {
    tools.failCall(tool, nth, message);
    return this;
  }

  /** The {@code Retry-After} sent with an injected 429 or 503 (whole seconds, rounded up). */
  public DeskSandbox retryAfter(Duration retryAfter) {
    gate.retryAfter(retryAfter);
    return this;
  }

  /** Seeds an application record, with an empty silo section. */
  public DeskSandbox application(String client, String app, String name) {
    state.seed(client, app, name);
    return this;
  }

  public Optional<Application> application(String client, String app) {
    return state.application(client, app);
  }

  public Optional<SiloStatus> status(String client, String app) {
    return state.status(client, app);
  }

  /** The silo's events, oldest first. */
  public List<SiloEvent> events(String client, String app) {
    return state.events(client, app);
  }

  /** How many calls of the tool passed the key check, whether they failed or not. */
  public int callCount(String tool) {
    return faults.calls(tool);
  }

  @Override
  public void close() {
    mcpServer.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("The desk sandbox did not stop", e);
    }
  }

  /** Options of a desk sandbox; every one has a default. */
  public static final class Builder {

    private String apiKey = randomKey();
    private final Map<String, String> toolNames =
        new HashMap<>(
            Map.of(
                APPLICATIONS_GET, APPLICATIONS_GET,
                UPDATE_SILO_STATUS, UPDATE_SILO_STATUS,
                LOG_SILO_EVENT, LOG_SILO_EVENT,
                APPLICATIONS_UPDATE, APPLICATIONS_UPDATE));
    private boolean structuredAnswers = true;
    private CallLog callLog = new CallLog();

    private Builder() {}

    /** The key the desk accepts; a random one by default. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** Exposes an operation ({@link #APPLICATIONS_GET}...) under another tool name. */
    public Builder toolName(String operation, String name) {
      if (!toolNames.containsKey(operation)) {
        throw new IllegalArgumentException("Unknown desk operation: " + operation);
      }
      toolNames.put(operation, name);
      return this;
    }

    /**
     * Whether answers carry {@code structuredContent} (the default) or only their JSON as text
     * content, as servers written before structured tool output do.
     */
    public Builder structuredAnswers(boolean structuredAnswers) {
      this.structuredAnswers = structuredAnswers;
      return this;
    }

    /** The log every call is recorded in; by default one of the sandbox's own. */
    public Builder callLog(CallLog callLog) {
      this.callLog = Objects.requireNonNull(callLog, "callLog");
      return this;
    }

    public DeskSandbox start() {
      try {
        return new DeskSandbox(this);
      } catch (Exception e) {
        throw new IllegalStateException("The desk sandbox did not start", e);
      }
    }

    private static String randomKey() {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      return "sk-desk-" + HexFormat.of().formatHex(bytes);
    }
  }
}
