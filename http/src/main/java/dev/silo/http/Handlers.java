package dev.silo.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What our handlers do the same way: answer on a thread that may block, send a whole answer, and
 * drop a connection without one.
 */
public final class Handlers {

  /** Answers one request; it may block (read the body, ask a database) and must complete the callback. */
  @FunctionalInterface
  public interface Answer {
    void answer(Request request, Response response, Callback callback) throws Exception;
  }

  private Handlers() {}

  /** A handler that answers every request it is given, on a thread that may block. */
  public static Handler blocking(Answer answer) {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        answer.answer(request, response, callback);
        return true;
      }
    };
  }

  /**
   * Sends the whole answer: the status, the content type unless null, and the body with its
   * length; then completes the callback.
   */
  public static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /**
   * Closes the request's connection before any byte of an answer, as a network that fails does:
   * the client reads the end of the stream and nothing else. The request ends failed with {@code
   * why} wrapped in an end-of-file failure, which Jetty logs at debug level only, as the dropping
   * is on purpose.
   */
  public static void dropConnection(Request request, Callback callback, Throwable why) {
    request.getConnectionMetaData().getConnection().getEndPoint().close(why);
    callback.failed(new EofException(why.getMessage(), why));
  }

  /** {@link #send(Response, Callback, int, String, byte[])} with a text in UTF-8. */
  public static void send(Response response, Callback callback, int status, String contentType, String body) {
    send(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }
}
