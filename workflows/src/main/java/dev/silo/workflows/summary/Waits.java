package dev.silo.workflows.summary;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.TimerOptions;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code Workflow.await(timeout, condition)} with a summary on its timer, so the Web UI's event
 * list says what the timer is ("approval of the plan, up to 72h") instead of a bare duration.
 *
 * <p>The SDK's own timed await starts its timer with no options. This one starts the same timer
 * with a summary, in the same order: the condition is read first, the timer runs in a scope of
 * its own, and the timer is cancelled when the condition comes true first. Runs recorded before
 * the change keep the SDK's await (getVersion {@value #CHANGE}).
 */
public final class Waits {

  /** The change id of summarized await timers. */
  public static final String CHANGE = "await-timer-summaries";

  private Waits() {}

  /**
   * Waits until {@code condition} holds or {@code timeout} passes; true when the condition came
   * true first, as {@code Workflow.await} answers.
   */
  public static boolean await(Duration timeout, String summary, Supplier<Boolean> condition) {
    if (Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return Workflow.await(timeout, condition);
    }
    if (condition.get()) {
      return true;
    }
    TimerOptions options = TimerOptions.newBuilder().setSummary(summary).build();
    CompletablePromise<Void> fired = Workflow.newPromise();
    CancellationScope timerScope = Workflow.newCancellationScope(
        () -> fired.completeFrom(Workflow.newTimer(timeout, options)));
    timerScope.run();
    Workflow.await(() -> fired.isCompleted() || condition.get());
    boolean met = !fired.isCompleted();
    if (met) {
      timerScope.cancel("condition met before the timer fired");
    }
    return met;
  }
}
