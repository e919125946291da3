package dev.silo.workflows.decision;

import dev.silo.workflows.DurationRange;
import java.time.Duration;

/** How long any run, a silo's or a release's, may wait for a person's decision. */
public final class DecisionTimeouts {

  /** The shortest wait for a decision: less leaves nobody the time to read the plan. */
  public static final Duration MIN = Duration.ofMinutes(1);

  /**
   * The longest wait for a decision. A run that waits longer holds what it deploys (no other run
   * beside it) for a plan nobody is reading; far longer waits are refused by the server as timers,
   * which would fail every workflow task of the run.
   */
  public static final Duration MAX = Duration.ofDays(30);

  /** The range of {@link #MIN} to {@link #MAX}. */
  public static final DurationRange RANGE = new DurationRange(MIN, MAX);

  private DecisionTimeouts() {}
}
