package dev.silo.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.http.HttpHeader;
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
 * <p>With {@linkplain #limit limits}, the hook also answers 429 with {@code Retry-After} to calls
 * over a vendor's documented rate, as the vendor would; those answers are recorded too.
 */
public final class CallLog {

  /** The request header a worker names the caller in. */
  public static final String CALLER_HEADER = "X-Silo-Caller";

  /** The status recorded for a call whose connection failed or was dropped before an answer. */
  public static final int NO_ANSWER = -1;

  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final Map<String, RateLimits> limits = new ConcurrentHashMap<>();

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

  /** Answers the vendor's calls over {@code limits} with 429; null lifts the limits. */
  public void limit(String vendor, RateLimits vendorLimits) {
    if (vendorLimits == null) {
      limits.remove(vendor);
    } else {
      limits.put(vendor, vendorLimits);
    }
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
        RateLimits vendorLimits = limits.get(vendor);
        if (vendorLimits != null) {
          Duration retryAfter = vendorLimits.admit(method, path, start);
          if (retryAfter != null) {
            response.setStatus(429);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
            calls.add(new Call(vendor, method, path, caller, start, Instant.now(), 429));
            response.write(true, null, callback);
            return true;
          }
        }
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
