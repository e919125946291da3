package dev.silo.activities.netlify;

import dev.silo.activities.http.CallerHeader;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a configuration's independent Netlify requests at once, on daemon threads of its own (the
 * common pool has one thread on a 2-core host, and these threads block on HTTP).
 */
final class SideBySide {

  private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "netlify-side-by-side");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * Runs the tasks at once and waits for them all; the first failure is thrown as the task threw
   * it, so that its classification stands.
   */
  void run(List<Runnable> tasks) {
    if (tasks.size() <= 1) {
      tasks.forEach(Runnable::run);
      return;
    }
    // Each request names the activity it is made for, as it would on the activity's own thread.
    Optional<String> caller = CallerHeader.current();
    List<Future<?>> running = tasks.stream()
        .<Future<?>>map(task -> threads.submit(() -> CallerHeader.actingFor(caller, task)))
        .toList();
    RuntimeException first = null;
    for (Future<?> task : running) {
      try {
        task.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException runtime ? runtime
              : new IllegalStateException("a Netlify request failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.forEach(other -> other.cancel(true));
        throw ApplicationFailure.newFailureWithCause("interrupted while Netlify requests ran",
            FailureType.VENDOR_UNAVAILABLE.type(), e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
