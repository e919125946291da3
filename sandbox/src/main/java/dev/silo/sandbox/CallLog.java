package dev.silo.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every call the emulators answered, with when it arrived, when its answer was sent, its status and
 * who made it: the caller a worker names in the {@value #CALLER_HEADER} header (the workflow, the
 * activity type and the activity ID). A benchmark computes critical paths and sequential sums from
 * these records; the Fly, Netlify and desk emulators share one log, hooked in where each wires its
 * Jetty handler ({@link #wrap}).
 *
 * <p>A 429 an emulator answers when it enforces a vendor's rate limits is recorded like any other
 * answer.
 */
public final class CallLog {

  /** The request header a worker names the caller in. */
  public static final String CALLER_HEADER = "X-Silo-Caller";

  /** The status recorded for a call whose connection failed or was dropped before an answer. */
  public static final int NO_ANSWER = -1;

  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

  /**
   * One call.
   *
   * @param vendor the emulator that answered: {@code fly}, {@code netlify} or {@code desk}
   * @param method the HTTP method
   * @param path the request path
   * @param caller the caller the request named, or null
   * @param start when the request reached the emulator
   * @param end when its answer was sent (or its connection dropped)
   * @param status the status answered, or {@link #NO_ANSWER}
   */
  public record Call(String vendor, String method, String path, String caller, Instant start, Instant end,
      int status) {

    public Duration duration() {
      return Duration.between(start, end);
    }
  }

  /** The calls recorded so far, in the order they ended. */
  public List<Call> calls() {
    return new ArrayList<>(calls);
  }

  /** Forgets the calls recorded so far (a benchmark does between two of its cases). */
  public void clear() {
    calls.clear();
  }

  /** {@code handler}, recording every call it answers for {@code vendor}. */
  public Handler wrap(String vendor, Handler handler) {
    return new Handler.Wrapper(handler) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Instant start = Instant.now();
        String caller = request.getHeaders().get(CALLER_HEADER);
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        Callback recorded = new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            calls.add(new Call(vendor, method, path, caller, start, Instant.now(), response.getStatus()));
            super.succeeded();
          }

          @Override
          public void failed(Throwable failure) {
            calls.add(new Call(vendor, method, path, caller, start, Instant.now(), NO_ANSWER));
            super.failed(failure);
          }
        };
        return super.handle(request, response, recorded);
      }
    };
  }
}
