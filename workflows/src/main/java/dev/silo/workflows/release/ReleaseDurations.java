package dev.silo.workflows.release;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.decision.DecisionTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The range of every duration a release's files hold. The loader refuses a file with a duration
 * out of range, naming its file and line; the environment deployment refuses such a definition
 * again on its first task, since a wait the server cannot hold would fail every task of the run.
 */
public final class ReleaseDurations {

  /** {@code approval_timeout}: the same range as a silo's approval. */
  public static final DurationRange APPROVAL_TIMEOUT = DecisionTimeouts.RANGE;

  /** {@code watch_window}: zero skips the watch. */
  public static final DurationRange WATCH_WINDOW = new DurationRange(Duration.ZERO, Duration.ofHours(24));

  /** {@code watch_interval}: the time between two readings of the triggers. */
  public static final DurationRange WATCH_INTERVAL = new DurationRange(Duration.ofSeconds(1), Duration.ofHours(1));

  /**
   * How many readings a watch window may take ({@code watch_window} / {@code watch_interval}): each
   * one adds a timer and an activity to the run's history, which the server caps.
   */
  public static final long MAX_WATCH_READINGS = 2_000;

  /** A step's {@code timeout}. */
  public static final DurationRange STEP_TIMEOUT = new DurationRange(Duration.ofSeconds(1), Duration.ofHours(24));

  /** The {@code above} of a {@code p99_latency} trigger. */
  public static final DurationRange P99_LATENCY = new DurationRange(Duration.ofMillis(1), Duration.ofHours(1));

  private ReleaseDurations() {}

  /** The readings a watch window takes, rounded up; the first is taken when the window opens. */
  public static long readings(Duration window, Duration interval) {
    return window.isZero() ? 0 : 1 + (window.toMillis() - 1) / interval.toMillis();
  }

  /**
   * Every duration of one environment's deployment out of its range, each naming where it is;
   * empty when all are in range. Unwritten durations (null) take defaults, which are in range.
   */
  public static List<String> problems(EnvironmentDefinition environment, ReleasePipeline pipeline) {
    List<String> problems = new ArrayList<>();
    String of = " of environment " + environment.name();
    check("approval_timeout" + of, environment.approvalTimeout(), APPROVAL_TIMEOUT, problems);
    WatchWindow watch = environment.watch();
    if (watch != null) {
      boolean window = check("watch_window" + of, watch.duration(), WATCH_WINDOW, problems);
      boolean interval = check("watch_interval" + of, watch.interval(), WATCH_INTERVAL, problems);
      if (window && interval && watch.duration() != null && watch.interval() != null
          && readings(watch.duration(), watch.interval()) > MAX_WATCH_READINGS) {
        problems.add(readingsProblem(environment.name(), watch.duration(), watch.interval()));
      }
    }
    for (Map.Entry<Stage, List<PipelineStep>> stage : pipeline.stages().entrySet()) {
      for (PipelineStep step : stage.getValue()) {
        check("timeout of step '" + step.name() + "' in " + stage.getKey(), step.timeout(), STEP_TIMEOUT, problems);
      }
    }
    for (RollbackTrigger trigger : pipeline.rollback().triggers()) {
      check("above of trigger " + trigger.kind().name().toLowerCase(Locale.ROOT), trigger.p99Latency(),
          P99_LATENCY, problems);
    }
    return problems;
  }

  /** Why a watch window takes too many readings, for the loader and the workflow alike. */
  public static String readingsProblem(String environment, Duration window, Duration interval) {
    return "watch_window " + DurationRange.written(window) + " read every " + DurationRange.written(interval)
        + " of environment " + environment + " takes " + readings(window, interval) + " readings, at most "
        + MAX_WATCH_READINGS + " are allowed: lengthen watch_interval or shorten watch_window";
  }

  /** Adds a problem when the duration is written and out of range; true when it is fine. */
  private static boolean check(String what, Duration duration, DurationRange range, List<String> problems) {
    if (duration == null || range.contains(duration)) {
      return true;
    }
    problems.add(what + " is " + DurationRange.written(duration) + ", out of range: it must be " + range.describe());
    return false;
  }
}
