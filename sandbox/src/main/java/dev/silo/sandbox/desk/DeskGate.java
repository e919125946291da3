package dev.silo.sandbox.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.sandbox.Faults;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What stands in front of the MCP endpoint: the bearer key check, and the faults planned for tool
 * calls. A planned HTTP status is answered here, before the MCP server sees the call, as a gateway
 * in front of a real desk would; the call's number is handed to the tool (through a request
 * attribute that the transport's context extractor copies) for the faults the tool answers itself.
 * A planned {@linkplain Faults#resetBefore reset} closes the connection before the MCP server sees
 * the call; a {@linkplain Faults#dropReply dropped reply} lets the MCP server carry the call out,
 * answering into nothing, and then closes the connection.
 */
final class DeskGate implements Filter {

  /** The request attribute, and transport context key, holding the call's 1-based number. */
  static final String CALL_NUMBER = "dev.silo.sandbox.desk.call-number";

  private static final String TOOLS_CALL = "tools/call";

  private final byte[] expectedAuthorization;
  private final Faults faults;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final ObjectMapper json = new ObjectMapper();
  private volatile Duration retryAfter = Duration.ofSeconds(1);

  DeskGate(String apiKey, Faults faults) {
    this.expectedAuthorization = ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
    this.faults = faults;
  }

  void retryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  @Override
  public void doFilter(
      ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) servletRequest;
    HttpServletResponse response = (HttpServletResponse) servletResponse;
    if (!authorized(request)) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"somtech-desk\"");
      refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Invalid or missing API key");
      return;
    }
    if (!"POST".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readAllBytes();
    BufferedRequest buffered = new BufferedRequest(request, body);
    String tool = calledTool(body);
    if (tool != null) {
      int nth = calls.computeIfAbsent(tool, key -> new AtomicInteger()).incrementAndGet();
      Faults.Call call = faults.call(tool);
      if (call.failWith().isPresent()) {
        answerFault(response, call.failWith().get());
        return;
      }
      if (call.resetBeforeApplied()) {
        // Jetty's sendError(-1) aborts the exchange: the connection is closed with no answer.
        response.sendError(-1);
        return;
      }
      buffered.setAttribute(CALL_NUMBER, nth);
      if (call.dropReply()) {
        // The MCP server carries the call out while answering into nothing; then the connection is
        // closed before any byte of that answer leaves.
        chain.doFilter(buffered, new SilencedResponse(response));
        response.sendError(-1);
        return;
      }
    }
    chain.doFilter(buffered, response);
  }

  private boolean authorized(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    return authorization != null
        && MessageDigest.isEqual(
            expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8));
  }

  /** The tool a JSON-RPC {@code tools/call} request names, or null for any other message. */
  private String calledTool(byte[] body) {
    try {
      JsonNode message = json.readTree(body);
      if (message != null && TOOLS_CALL.equals(message.path("method").asText())) {
        return message.path("params").path("name").asText(null);
      }
    } catch (IOException e) {
      // Not JSON: the MCP transport refuses it with its own error.
    }
    return null;
  }

  private void answerFault(HttpServletResponse response, int status) throws IOException {
    if (status == 429 || status == 503) {
      long seconds = Math.max(0, (retryAfter.toMillis() + 999) / 1000);
      response.setHeader("Retry-After", Long.toString(seconds));
    }
    refuse(response, status, "Injected fault: HTTP " + status);
  }

  private void refuse(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json.writeValueAsString(Map.of("error", message)));
  }

  /** A response whose body goes nowhere and that is never committed by its writer. */
  private static final class SilencedResponse extends HttpServletResponseWrapper {

    private final ServletOutputStream nowhere = new ServletOutputStream() {
      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        throw new UnsupportedOperationException("The answer is dropped");
      }

      @Override
      public void write(int b) {
        // Dropped with the connection.
      }
    };

    SilencedResponse(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return nowhere;
    }

    @Override
    public PrintWriter getWriter() {
      return new PrintWriter(Writer.nullWriter());
    }

    @Override
    public void flushBuffer() {
      // Nothing may be committed: the connection is closed instead.
    }
  }

  /** The request with its body already read, served again to the MCP transport. */
  private static final class BufferedRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    BufferedRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream bytes = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("The body is already buffered");
        }

        @Override
        public int read() {
          return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return bytes.read(buffer, offset, length);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }
  }
}
