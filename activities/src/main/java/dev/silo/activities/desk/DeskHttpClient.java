package dev.silo.activities.desk;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP client under the SDK's Streamable HTTP transport. It fails a POST the desk answers with
 * an unsuccessful status with a {@link DeskHttpStatusException}, so the status, {@code
 * Retry-After} and the desk's message reach the classification: the SDK's own errors for such
 * answers carry none of them for 5xx, and no {@code Retry-After} for any.
 *
 * <p>Left to the SDK: a 400 or 404 to a request sent within a session, which is how a server says
 * it forgot the session (the SDK then starts a new one); and every GET and DELETE, which open and
 * close the optional server-to-client stream.
 */
final class DeskHttpClient extends HttpClient {

  private static final String SESSION_HEADER = "Mcp-Session-Id";

  private final HttpClient delegate;

  private DeskHttpClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  /** A builder for the transport's {@code clientBuilder}, building this around the JDK's client. */
  static HttpClient.Builder newDeskBuilder() {
    return new Builder(HttpClient.newBuilder());
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return delegate.send(request, checked(request, handler));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return delegate.sendAsync(request, checked(request, handler));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    return delegate.sendAsync(request, checked(request, handler), pushPromiseHandler);
  }

  private <T> BodyHandler<T> checked(HttpRequest request, BodyHandler<T> handler) {
    if (!"POST".equals(request.method())) {
      return handler;
    }
    boolean inSession = request.headers().firstValue(SESSION_HEADER).isPresent();
    return response ->
        refused(response.statusCode(), inSession) ? refusal(response) : handler.apply(response);
  }

  private static boolean refused(int status, boolean inSession) {
    boolean successful = status >= 200 && status < 300;
    boolean sessionLost = inSession && (status == 400 || status == 404);
    return !successful && !sessionLost;
  }

  private static <T> BodySubscriber<T> refusal(ResponseInfo response) {
    return BodySubscribers.mapping(
        BodySubscribers.ofString(StandardCharsets.UTF_8),
        body -> {
          throw DeskHttpStatusException.of(response, body);
        });
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  private static final class Builder implements HttpClient.Builder {

    private final HttpClient.Builder delegate;

    Builder(HttpClient.Builder delegate) {
      this.delegate = delegate;
    }

    @Override
    public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
      delegate.cookieHandler(cookieHandler);
      return this;
    }

    @Override
    public HttpClient.Builder connectTimeout(Duration duration) {
      delegate.connectTimeout(duration);
      return this;
    }

    @Override
    public HttpClient.Builder sslContext(SSLContext sslContext) {
      delegate.sslContext(sslContext);
      return this;
    }

    @Override
    public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
      delegate.sslParameters(sslParameters);
      return this;
    }

    @Override
    public HttpClient.Builder executor(Executor executor) {
      delegate.executor(executor);
      return this;
    }

    @Override
    public HttpClient.Builder followRedirects(Redirect policy) {
      delegate.followRedirects(policy);
      return this;
    }

    @Override
    public HttpClient.Builder version(Version version) {
      delegate.version(version);
      return this;
    }

    @Override
    public HttpClient.Builder priority(int priority) {
      delegate.priority(priority);
      return this;
    }

    @Override
    public HttpClient.Builder proxy(ProxySelector proxySelector) {
      delegate.proxy(proxySelector);
      return this;
    }

    @Override
    public HttpClient.Builder authenticator(Authenticator authenticator) {
      delegate.authenticator(authenticator);
      return this;
    }

    @Override
    public HttpClient build() {
      return new DeskHttpClient(delegate.build());
    }
  }
}
