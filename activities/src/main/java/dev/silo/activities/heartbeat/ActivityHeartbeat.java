package dev.silo.activities.heartbeat;

import dev.silo.workflows.ActivityHeartbeats;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats of the activity running on the current thread, or nothing when the code runs outside
 * an activity (a test, a command-line tool). A heartbeat is where Temporal reports a cancellation
 * or a timed-out attempt: {@link #beat} then throws {@link ActivityCompletionException}, and the
 * caller stops its work.
 *
 * <p>Every activity longer than a few seconds has a heartbeat timeout of {@link
 * ActivityHeartbeats#TIMEOUT}. Its code reports progress with {@link #beat} between the steps of a
 * wait or a poll; in between, and during a single blocking call (an HTTP request, a SQL statement,
 * a Git push), the worker's {@link HeartbeatInterceptor} repeats the last progress every {@link
 * #INTERVAL} through {@link #keepingAlive}. Only a live worker heartbeats, so a killed worker's
 * activity still times out within the heartbeat timeout.
 *
 * <p>This is the one way activity code heartbeats: no activity calls the SDK's heartbeat itself,
 * so the repeated heartbeats always carry the progress last reported.
 */
public final class ActivityHeartbeat {

  /**
   * How often an activity heartbeats while it waits: well inside {@link ActivityHeartbeats#TIMEOUT}.
   * The SDK sends at most one heartbeat per throttle interval, which the worker keeps below a third
   * of the timeout.
   */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  /** The heartbeat of code that runs outside an activity: it does nothing. */
  public static final ActivityHeartbeat NONE = new ActivityHeartbeat(null);

  /** The heartbeat {@link #keepingAlive} repeats for the activity running on this thread. */
  private static final ThreadLocal<ActivityHeartbeat> KEPT_ALIVE = new ThreadLocal<>();

  /** One daemon thread repeats the heartbeats of every activity running on this worker. */
  private static final ScheduledExecutorService KEEPER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "silo-activity-heartbeats");
            thread.setDaemon(true);
            return thread;
          });

  private final ActivityExecutionContext context;

  /** The progress last reported, which the repeated heartbeats carry. */
  private volatile Object progress;

  private ActivityHeartbeat(ActivityExecutionContext context) {
    this.context = context;
  }

  /** The heartbeat of the activity on this thread; must be called on the activity's thread. */
  public static ActivityHeartbeat current() {
    ActivityHeartbeat keptAlive = KEPT_ALIVE.get();
    if (keptAlive != null) {
      return keptAlive;
    }
    try {
      return new ActivityHeartbeat(Activity.getExecutionContext());
    } catch (IllegalStateException outsideAnActivity) {
      return NONE;
    }
  }

  /**
   * Runs the activity {@code work} on this thread while a background thread heartbeats the
   * progress it last reported (none at first) every {@link #INTERVAL}, until it
   * returns. A heartbeat that finds the activity cancelled or timed out stops the repetition; the
   * work's own next {@link #beat}, if any, then throws.
   */
  public static <T> T keepingAlive(ActivityExecutionContext context, Supplier<T> work) {
    ActivityHeartbeat heartbeat = new ActivityHeartbeat(context);
    long every = INTERVAL.toMillis();
    ScheduledFuture<?> repetition =
        KEEPER.scheduleAtFixedRate(heartbeat::repeat, every, every, TimeUnit.MILLISECONDS);
    KEPT_ALIVE.set(heartbeat);
    try {
      return work.get();
    } finally {
      KEPT_ALIVE.remove();
      repetition.cancel(false);
    }
  }

  /**
   * Records progress; the SDK throttles what actually reaches the server.
   *
   * @param details what the Web UI shows as the activity's heartbeat details: a text naming the
   *     state of the wait, or a count such as a health check's attempts
   */
  public void beat(Object details) {
    if (context != null) {
      progress = details;
      context.heartbeat(details);
    }
  }

  /**
   * Waits for {@code duration}, heartbeating {@code details} at its start and then at least every
   * {@link #INTERVAL}, so a long wait never times the activity out.
   *
   * @throws InterruptedException when the thread is interrupted; the caller says what it waited for
   */
  public void pause(Duration duration, Object details) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
      beat(details);
      Thread.sleep(Math.max(1, Math.min(left, INTERVAL.toNanos()) / 1_000_000));
    }
  }

  /** Heartbeats the last progress again, from the keeper's thread. */
  private void repeat() {
    try {
      context.heartbeat(progress);
    } catch (ActivityCompletionException | IllegalStateException cancelledOrOver) {
      // The activity learns of a cancellation or a timeout at its own next beat, or its result is
      // refused; there is nothing more to repeat for it.
    }
  }
}
