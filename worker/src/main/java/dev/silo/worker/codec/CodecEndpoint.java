package dev.silo.worker.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.silo.client.codec.AesGcmPayloadCodec;
import dev.silo.http.Handlers;
import dev.silo.http.JettyServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

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
 * <p>The server is Jetty's core ({@link JettyServer}); {@link PathMappingsHandler} routes, and
 * Jetty reads the query and the cookies. CORS is a fixed policy set on every answer, not Jetty's
 * {@code CrossOriginHandler}: every answer names the one UI origin (also to a caller that sent no
 * {@code Origin}, so the UI can read an error), and every {@code OPTIONS} is answered 204 without
 * a token, where that handler answers only requests from an allowed origin and preflights with 200.
 *
 * <p>Nothing is logged: request bodies hold secrets, and the token must not reach a log either.
 *
 * <p>It is one unit over 300 lines because it is one small HTTP protocol whose routes share one
 * token check, one CORS policy and one codec; split, the security policy would be scattered.
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
  private final JettyServer server;

  private CodecEndpoint(Settings settings, AesGcmPayloadCodec codec) {
    this.settings = settings;
    this.codec = codec;
    this.token = new CodecToken(settings.token());
    this.server = listen(settings, new FixedCors(routes()));
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
    return new CodecEndpoint(settings, codec);
  }

  /** The base address, such as {@code http://127.0.0.1:8081}. */
  public URI uri() {
    try {
      return new URI("http", null, server.host(), server.port(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the bound address makes no URI: " + server.host() + ":" + server.port(), e);
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
    server.close();
  }

  private static JettyServer listen(Settings settings, Handler handler) {
    try {
      InetAddress.getByName(settings.bind());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(BIND_VARIABLE + " names no address of this machine: " + settings.bind(), e);
    }
    try {
      return JettyServer.start(settings.bind(), settings.port(), "silo-codec", handler);
    } catch (BindException e) {
      throw new UncheckedIOException("the codec endpoint cannot listen on " + settings.bind() + ":" + settings.port()
          + " (" + e.getMessage() + "): stop what holds it or set " + PORT_VARIABLE + " or " + BIND_VARIABLE, e);
    } catch (IOException e) {
      throw new UncheckedIOException("the codec endpoint cannot listen on " + settings.bind() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code /auth}, {@code /decode} and {@code /encode}, each also under a namespace and with a
   * trailing slash; anything else is not found.
   */
  private Handler routes() {
    PathMappingsHandler routes = new PathMappingsHandler();
    routes.addMapping(PathSpec.from("^/auth/*$"), answer(this::authorizeBrowser));
    routes.addMapping(PathSpec.from("^(/[^/]+)?/+decode/*$"), answer((request, response) ->
        transform(request, response, "decode")));
    routes.addMapping(PathSpec.from("^(/[^/]+)?/+encode/*$"), answer((request, response) ->
        transform(request, response, "encode")));
    routes.addMapping(PathSpec.from("/"), answer((request, response) -> {
      throw new CodecRequestException(404, "no such resource: POST /{namespace}/decode or /{namespace}/encode");
    }));
    return routes;
  }

  /** Sets the CORS and cache headers on every answer, and answers every preflight. */
  private final class FixedCors extends Handler.Wrapper {

    FixedCors(Handler routes) {
      super(routes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      HttpFields.Mutable headers = response.getHeaders();
      headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, settings.uiOrigin());
      headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
      headers.put(HttpHeader.VARY, "Origin");
      // Decoded payloads are secrets: no cache along the way may keep them.
      headers.put(HttpHeader.CACHE_CONTROL, "no-store");
      if ("OPTIONS".equals(request.getMethod())) {
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "POST, GET, OPTIONS");
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization, X-Namespace");
        headers.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        send(response, callback, 204, null, null);
        return true;
      }
      return super.handle(request, response, callback);
    }
  }

  /** What a route answers when it does not refuse the request. */
  private record Answer(int status, String contentType, String body) {}

  /** Answers one request on a route, or refuses it with a status and a message. */
  @FunctionalInterface
  private interface Route {
    Answer answer(Request request, Response response) throws IOException, CodecRequestException;
  }

  /**
   * A route's handler: its answer is sent, its refusal as {@code {"error": ...}} in JSON, and a
   * failure of the endpoint as a 500 without its message, which might quote a payload. Nothing is
   * logged; a request whose body cannot be read loses its connection without an answer.
   */
  private static Handler answer(Route route) {
    return Handlers.blocking((request, response, callback) -> {
      try {
        Answer answer = route.answer(request, response);
        send(response, callback, answer.status(), answer.contentType(), answer.body());
      } catch (CodecRequestException e) {
        if (e.status() == 401) {
          response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        send(response, callback, e.status(), JSON, error(e.getMessage()));
      } catch (IOException e) {
        Handlers.dropConnection(request, callback, e);
      } catch (RuntimeException e) {
        send(response, callback, 500, JSON, error("the codec endpoint failed: " + e.getClass().getSimpleName()));
      }
    });
  }

  private Answer transform(Request request, Response response, String operation)
      throws IOException, CodecRequestException {
    requireMethod(request, response, "POST");
    requireToken(request);
    List<Payload> payloads = PayloadsJson.parse(body(request));
    List<Payload> result = operation.equals("decode") ? decode(payloads) : codec.encode(payloads);
    return new Answer(200, JSON, PayloadsJson.print(result));
  }

  /** Checks the token given in the query and, when it is right, keeps it in the browser's cookie. */
  private Answer authorizeBrowser(Request request, Response response) throws IOException, CodecRequestException {
    requireMethod(request, response, "GET");
    // The last token given counts, as it did before Jetty read the query.
    List<String> given = Request.extractQueryParameters(request, StandardCharsets.UTF_8).getValues("token");
    if (given == null || given.isEmpty() || !token.matches(given.get(given.size() - 1))) {
      throw new CodecRequestException(401, "open /auth?token=<the worker's " + TOKEN_VARIABLE + ">");
    }
    Response.addCookie(response, HttpCookie.build(COOKIE, settings.token())
        .path("/")
        .maxAge(COOKIE_MAX_AGE_SECONDS)
        .httpOnly(true)
        .sameSite(HttpCookie.SameSite.STRICT)
        .build());
    return new Answer(200, "text/plain; charset=utf-8", "This browser may now use the codec endpoint: the Temporal"
        + " Web UI at " + settings.uiOrigin() + " shows decoded payloads. You can close this page.\n");
  }

  private void requireToken(Request request) throws CodecRequestException {
    for (String authorization : request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION)) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && token.matches(authorization.substring(7).strip())) {
        return;
      }
    }
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(COOKIE) && token.matches(cookie.getValue())) {
        return;
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

  private static void requireMethod(Request request, Response response, String method)
      throws CodecRequestException {
    if (!method.equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, method + ", OPTIONS");
      throw new CodecRequestException(405, request.getMethod() + " is not allowed here, only " + method);
    }
  }

  private static byte[] body(Request request) throws IOException, CodecRequestException {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new CodecRequestException(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  private static void send(Response response, Callback callback, int status, String contentType, String body) {
    Handlers.send(response, callback, status, contentType,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  private static String error(String message) {
    return ERRORS.createObjectNode().put("error", message).toString();
  }
}
