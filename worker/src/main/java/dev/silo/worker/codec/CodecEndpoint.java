package dev.silo.worker.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.silo.client.codec.AesGcmPayloadCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Temporal codec server, served by the worker so that the Web UI and the {@code temporal} CLI
 * show payloads decrypted to operators who hold the token: {@code POST /{namespace}/decode} and
 * {@code POST /{namespace}/encode} (also without the namespace), each taking and answering {@code
 * {"payloads": [...]}} in proto3 JSON, through the same {@link AesGcmPayloadCodec} as the data
 * converter. Payloads that are not encrypted pass decode unchanged.
 *
 * <p>Every request but a CORS preflight needs the token, as {@code Authorization: Bearer <token>}
 * or as the cookie {@value #COOKIE}. The Web UI cannot send a static bearer token, so {@code GET
 * /auth?token=<token>} checks the token and sets that cookie (HttpOnly, SameSite=Strict) in the
 * browser that opens it; the UI then sends it along when {@code TEMPORAL_CODEC_INCLUDE_CREDENTIALS}
 * is true. CORS admits the configured UI origin only.
 *
 * <p>Nothing is logged: request bodies hold secrets, and the token must not reach a log either.
 */
public final class CodecEndpoint implements AutoCloseable {

  /** The token every request must carry; without it the endpoint is not started. */
  public static final String TOKEN_VARIABLE = "SILO_CODEC_TOKEN";

  /** The port to listen on. */
  public static final String PORT_VARIABLE = "SILO_CODEC_PORT";

  /** The address to listen on; compose sets 0.0.0.0 so the UI's browser reaches it. */
  public static final String BIND_VARIABLE = "SILO_CODEC_BIND";

  /** The origin of the Temporal Web UI, the only origin CORS admits. */
  public static final String UI_ORIGIN_VARIABLE = "SILO_UI_ORIGIN";

  /** The port used when {@value #PORT_VARIABLE} is unset. */
  public static final int DEFAULT_PORT = 8081;

  /** The address used when {@value #BIND_VARIABLE} is unset: this machine only. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** The UI origin used when {@value #UI_ORIGIN_VARIABLE} is unset: the compose file's Web UI. */
  public static final String DEFAULT_UI_ORIGIN = "http://localhost:8080";

  /** The cookie {@code GET /auth} sets, holding the token. */
  public static final String COOKIE = "silo_codec_token";

  /** How long a browser keeps the cookie: 30 days, after which the operator opens /auth again. */
  static final int COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

  /** The largest request body read; a Temporal payload is at most 2 MiB by default. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final String JSON = "application/json";
  private static final ObjectMapper ERRORS = new ObjectMapper();
  private static final ByteString ENCRYPTED = ByteString.copyFromUtf8(AesGcmPayloadCodec.ENCODING);

  /**
   * Where and for whom the endpoint listens.
   *
   * @param token the bearer token; never shown by {@link #toString()}
   * @param bind the address to listen on
   * @param port the port, 0 for any free one
   * @param uiOrigin the Web UI's origin, {@code scheme://host[:port]}
   */
  public record Settings(String token, String bind, int port, String uiOrigin) {

    /** Validates the settings; a trailing slash on the origin is dropped, as browsers send none. */
    public Settings {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(bind, "bind");
      Objects.requireNonNull(uiOrigin, "uiOrigin");
      if (token.isBlank() || !CodecToken.isCookieSafe(token)) {
        throw new IllegalArgumentException(TOKEN_VARIABLE + " must be printable ASCII without spaces, quotes,"
            + " commas, semicolons or backslashes, since browsers keep it in a cookie"
            + " (generate one with: openssl rand -hex 32)");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(PORT_VARIABLE + " must be a port number, not " + port);
      }
      uiOrigin = origin(uiOrigin);
    }

    /**
     * The settings from {@code env}, or empty when {@value #TOKEN_VARIABLE} is unset or blank.
     *
     * @throws IllegalArgumentException with a one-line message naming the variable that is wrong
     */
    public static Optional<Settings> fromEnvironment(Map<String, String> env) {
      String token = env.get(TOKEN_VARIABLE);
      if (token == null || token.isBlank()) {
        return Optional.empty();
      }
      return Optional.of(new Settings(token.strip(), valueOr(env, BIND_VARIABLE, DEFAULT_BIND),
          port(env.get(PORT_VARIABLE)), valueOr(env, UI_ORIGIN_VARIABLE, DEFAULT_UI_ORIGIN)));
    }

    /** Shows everything but the token. */
    @Override
    public String toString() {
      return "Settings[bind=" + bind + ", port=" + port + ", uiOrigin=" + uiOrigin + "]";
    }

    private static int port(String value) {
      if (value == null || value.isBlank()) {
        return DEFAULT_PORT;
      }
      try {
        return Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PORT_VARIABLE + " must be a port number, not " + value.strip());
      }
    }

    private static String origin(String value) {
      String origin = value.strip().replaceAll("/+$", "");
      try {
        URI uri = new URI(origin);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
            && uri.getRawPath().isEmpty() && uri.getRawQuery() == null) {
          return origin;
        }
      } catch (URISyntaxException e) {
        // Reported below, with the form expected.
      }
      throw new IllegalArgumentException(UI_ORIGIN_VARIABLE + " must be an origin such as " + DEFAULT_UI_ORIGIN
          + ", not " + value.strip());
    }

    private static String valueOr(Map<String, String> env, String variable, String fallback) {
      String value = env.get(variable);
      return value == null || value.isBlank() ? fallback : value.strip();
    }
  }

  private final Settings settings;
  private final AesGcmPayloadCodec codec;
  private final CodecToken token;
  private final HttpServer server;
  private final ExecutorService executor;

  private CodecEndpoint(Settings settings, AesGcmPayloadCodec codec, HttpServer server, ExecutorService executor) {
    this.settings = settings;
    this.codec = codec;
    this.token = new CodecToken(settings.token());
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens at once.
   *
   * @throws IllegalArgumentException when {@value #BIND_VARIABLE} names no address
   * @throws UncheckedIOException when the port is taken or cannot be bound
   */
  public static CodecEndpoint start(Settings settings, AesGcmPayloadCodec codec) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(codec, "codec");
    HttpServer server = bind(settings);
    ExecutorService executor = Executors.newFixedThreadPool(4, daemonThreads());
    CodecEndpoint endpoint = new CodecEndpoint(settings, codec, server, executor);
    server.createContext("/", endpoint::handle);
    server.setExecutor(executor);
    server.start();
    return endpoint;
  }

  /** The base address, such as {@code http://127.0.0.1:8081}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    try {
      return new URI("http", null, address.getHostString(), address.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the bound address makes no URI: " + address, e);
    }
  }

  /** The line the worker prints at start. */
  public String describe() {
    return "codec: endpoint at " + uri() + "/{namespace}/decode and /encode for the Web UI at " + settings.uiOrigin()
        + "; open " + uri() + "/auth?token=... once in the UI's browser";
  }

  /** The line the worker prints when {@value #TOKEN_VARIABLE} is unset. */
  public static String notStarted() {
    return "codec: " + TOKEN_VARIABLE + " is not set, so the codec endpoint is not started"
        + " (the Web UI shows payloads encrypted)";
  }

  /** Stops listening; requests in flight are cut off. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static HttpServer bind(Settings settings) {
    InetAddress address;
    try {
      address = InetAddress.getByName(settings.bind());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(BIND_VARIABLE + " names no address of this machine: " + settings.bind(), e);
    }
    try {
      return HttpServer.create(new InetSocketAddress(address, settings.port()), 0);
    } catch (BindException e) {
      throw new UncheckedIOException("the codec endpoint cannot listen on " + settings.bind() + ":" + settings.port()
          + " (" + e.getMessage() + "): stop what holds it or set " + PORT_VARIABLE + " or " + BIND_VARIABLE, e);
    } catch (IOException e) {
      throw new UncheckedIOException("the codec endpoint cannot listen on " + settings.bind() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Access-Control-Allow-Origin", settings.uiOrigin());
      headers.set("Access-Control-Allow-Credentials", "true");
      headers.set("Vary", "Origin");
      // Decoded payloads are secrets: no cache along the way may keep them.
      headers.set("Cache-Control", "no-store");
      try {
        route(exchange);
      } catch (CodecRequestException e) {
        if (e.status() == 401) {
          headers.set("WWW-Authenticate", "Bearer");
        }
        send(exchange, e.status(), JSON, error(e.getMessage()));
      } catch (RuntimeException e) {
        // The message is not sent, since it might quote a payload.
        send(exchange, 500, JSON, error("the codec endpoint failed: " + e.getClass().getSimpleName()));
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException, CodecRequestException {
    String method = exchange.getRequestMethod();
    if ("OPTIONS".equals(method)) {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
      headers.set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Namespace");
      headers.set("Access-Control-Max-Age", "600");
      send(exchange, 204, null, null);
      return;
    }
    List<String> path = Arrays.stream(exchange.getRequestURI().getPath().split("/")).filter(s -> !s.isEmpty())
        .toList();
    if (path.equals(List.of("auth"))) {
      requireMethod(exchange, "GET");
      authorizeBrowser(exchange);
      return;
    }
    String operation = path.isEmpty() || path.size() > 2 ? "" : path.get(path.size() - 1);
    if (!operation.equals("decode") && !operation.equals("encode")) {
      throw new CodecRequestException(404, "no such resource: POST /{namespace}/decode or /{namespace}/encode");
    }
    requireMethod(exchange, "POST");
    requireToken(exchange);
    List<Payload> payloads = PayloadsJson.parse(body(exchange));
    List<Payload> result = operation.equals("decode") ? decode(payloads) : codec.encode(payloads);
    send(exchange, 200, JSON, PayloadsJson.print(result));
  }

  /** Checks the token given in the query and, when it is right, keeps it in the browser's cookie. */
  private void authorizeBrowser(HttpExchange exchange) throws IOException, CodecRequestException {
    String given = null;
    String query = exchange.getRequestURI().getRawQuery();
    for (String parameter : query == null ? new String[0] : query.split("&")) {
      if (parameter.startsWith("token=")) {
        given = URLDecoder.decode(parameter.substring("token=".length()), StandardCharsets.UTF_8);
      }
    }
    if (!token.matches(given)) {
      throw new CodecRequestException(401, "open /auth?token=<the worker's " + TOKEN_VARIABLE + ">");
    }
    exchange.getResponseHeaders().set("Set-Cookie", COOKIE + "=" + settings.token() + "; Path=/; Max-Age="
        + COOKIE_MAX_AGE_SECONDS + "; HttpOnly; SameSite=Strict");
    send(exchange, 200, "text/plain; charset=utf-8", "This browser may now use the codec endpoint: the Temporal"
        + " Web UI at " + settings.uiOrigin() + " shows decoded payloads. You can close this page.\n");
  }

  private void requireToken(HttpExchange exchange) throws CodecRequestException {
    Headers headers = exchange.getRequestHeaders();
    for (String authorization : headers.getOrDefault("Authorization", List.of())) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && token.matches(authorization.substring(7).strip())) {
        return;
      }
    }
    for (String cookies : headers.getOrDefault("Cookie", List.of())) {
      for (String cookie : cookies.split(";")) {
        int equals = cookie.indexOf('=');
        if (equals > 0 && cookie.substring(0, equals).strip().equals(COOKIE)
            && token.matches(cookie.substring(equals + 1).strip())) {
          return;
        }
      }
    }
    throw new CodecRequestException(401, "a valid token is required: send Authorization: Bearer <"
        + TOKEN_VARIABLE + ">, or open /auth?token=<" + TOKEN_VARIABLE + "> once in the browser that uses the UI");
  }

  private List<Payload> decode(List<Payload> payloads) throws CodecRequestException {
    List<Payload> decoded = new ArrayList<>(payloads.size());
    for (int index = 0; index < payloads.size(); index++) {
      Payload payload = payloads.get(index);
      Map<String, ByteString> metadata = payload.getMetadataMap();
      ByteString keyId = metadata.get(AesGcmPayloadCodec.METADATA_KEY_ID);
      if (ENCRYPTED.equals(metadata.get(EncodingKeys.METADATA_ENCODING_KEY)) && keyId != null
          && !keyId.toStringUtf8().equals(codec.keyId())) {
        throw new CodecRequestException(400, "payload " + index + " was encrypted with key id "
            + keyId.toStringUtf8() + ", this endpoint holds key id " + codec.keyId());
      }
      try {
        decoded.add(codec.decode(List.of(payload)).get(0));
      } catch (PayloadCodecException e) {
        throw new CodecRequestException(400, "payload " + index + ": " + e.getMessage());
      }
    }
    return decoded;
  }

  private static void requireMethod(HttpExchange exchange, String method) throws CodecRequestException {
    if (!method.equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", method + ", OPTIONS");
      throw new CodecRequestException(405, exchange.getRequestMethod() + " is not allowed here, only " + method);
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException, CodecRequestException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new CodecRequestException(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String error(String message) {
    return ERRORS.createObjectNode().put("error", message).toString();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "silo-codec-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
