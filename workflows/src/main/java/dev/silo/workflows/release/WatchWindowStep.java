package dev.silo.workflows.release;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.Failures;
import dev.silo.workflows.decision.Approvers;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.health.HealthActivities;
import dev.silo.workflows.health.MetricsQuery;
import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.summary.Waits;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The watch window: the deployed version is read at each interval until the window ends.
 *
 * <p>{@link #watch} is the first behaviour, kept for deployments started before the change {@value
 * #ANALYSIS_CHANGE}: the first bad reading fires, and a metrics reading that cannot be had is only
 * noted. {@link #analyse} reads like an analysis engine: each reading of a trigger is good, bad or
 * inconclusive; a trigger fires after its {@code failure_limit} consecutive bad readings, and after
 * its {@code inconclusive_limit} inconclusive ones (the metrics source could not be read) the
 * deployment waits for a person, since an unreadable source is never evidence that the version is
 * healthy.
 *
 * <p>It is one unit over 300 lines because both behaviours and the decision a person takes while
 * the window waits share the readings and the window's clock, and a run keeps the behaviour it
 * started with.
 */
final class WatchWindowStep {

  /** The change that brought failure and inconclusive limits, for {@code Workflow.getVersion}. */
  static final String ANALYSIS_CHANGE = "release-analysis-limits";

  /**
   * The change that waits for a person, instead of passing, when the window ends on inconclusive
   * readings under the limit.
   */
  static final String INCONCLUSIVE_END = "release-watch-inconclusive-end-waits";

  /** The change that applies the approval gate's rule to the watch window's decision. */
  static final String REQUESTER_NEVER_ACCEPTS = "release-watch-requester-never-accepts";

  /** How many of the latest readings the progress and the details show. */
  private static final int READINGS_SHOWN = 20;

  /** How long a failing health check is repeated within one reading before it counts. */
  private static final Duration HEALTH_RETRY_WINDOW = Duration.ofSeconds(10);

  private final DeploymentContext context;
  private final StepRunner runner;
  private final HealthActivities metrics =
      Workflow.newActivityStub(HealthActivities.class, ReleaseActivityOptions.METRICS);

  private final List<WatchReading> readings = new ArrayList<>();
  private double worstErrorRate = -1;
  private double worstP99 = -1;
  private final List<DecisionRecord> decisions = new ArrayList<>();
  private PendingWatchDecision pending;
  private Decision verdict;
  private String verdictActor;
  private DecisionSigning signing;
  private boolean accepted;
  /** Whether this run applies the approval gate's rule that the requester never accepts. */
  private boolean requesterNeverAccepts;

  WatchWindowStep(DeploymentContext context, StepRunner runner) {
    this.context = context;
    this.runner = runner;
  }

  /**
   * Watches with failure and inconclusive limits. The result is FAILED when a trigger fired, when
   * a person chose to roll back after inconclusive readings, or when nobody decided in time; it is
   * PASSED when the window ended without that or a person accepted the version.
   *
   * @param decisionTimeout how long the deployment waits for a person before it rolls back
   * @param waiting called when the deployment starts waiting for a person
   * @param resumed called when it stops waiting
   */
  StepResult analyse(List<RollbackTrigger> triggers, List<PipelineStep> healthChecks, Duration decisionTimeout,
      Runnable waiting, Runnable resumed) {
    WatchWindow window = context.environment().watch();
    long started = Workflow.currentTimeMillis();
    if (window.duration().isZero() || triggers.isEmpty()) {
      return new StepResult(Stage.WATCH, "Watch window", "watch", StepOutcome.SKIPPED, 0,
          triggers.isEmpty() ? "the pipeline has no rollback triggers" : "the environment's watch window is 0s");
    }
    String metricsUrl = context.environment().metricsUrl();
    boolean readsMetrics = metricsUrl != null && triggers.stream().anyMatch(RollbackTrigger::readsMetrics);
    long end = started + window.duration().toMillis();
    int[] bad = new int[triggers.size()];
    int[] inconclusive = new int[triggers.size()];
    // The last reading of each trigger that was inconclusive, or null when its last reading was conclusive
    // (or it has none): a window that ends on these is not evidence that the version is healthy.
    String[] endsInconclusive = new String[triggers.size()];
    int inconclusiveReadings = 0;
    int rounds = 0;
    while (Workflow.currentTimeMillis() < end) {
      Workflow.sleep(Duration.ofMillis(Math.min(window.interval().toMillis(), end - Workflow.currentTimeMillis())));
      rounds++;
      MetricsSample sample = null;
      String unreadable = null;
      if (readsMetrics) {
        try {
          sample = readMetrics(metricsUrl, window);
        } catch (StepFailure failure) {
          unreadable = failure.detail();
        }
      }
      String healthFailure = null;
      boolean healthRead = false;
      for (int i = 0; i < triggers.size(); i++) {
        RollbackTrigger trigger = triggers.get(i);
        ReadingOutcome outcome;
        String detail;
        if (!trigger.readsMetrics()) {
          if (!healthRead) {
            healthFailure = healthFailure(healthChecks);
            healthRead = true;
          }
          outcome = healthFailure == null ? ReadingOutcome.GOOD : ReadingOutcome.BAD;
          detail = healthFailure == null ? healthChecks.size() + " health check(s) answered as expected"
              : healthFailure;
        } else if (metricsUrl == null) {
          continue;
        } else if (unreadable != null) {
          outcome = ReadingOutcome.INCONCLUSIVE;
          detail = unreadable;
        } else {
          String breach = breach(trigger, sample);
          outcome = breach == null ? ReadingOutcome.GOOD : ReadingOutcome.BAD;
          detail = breach == null ? value(trigger, sample) : breach;
        }
        note(new WatchReading(Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString(), trigger.label(),
            outcome, detail));
        if (outcome != ReadingOutcome.INCONCLUSIVE) {
          endsInconclusive[i] = null;
        }
        switch (outcome) {
          case BAD -> {
            bad[i]++;
            if (bad[i] >= trigger.failuresToFire()) {
              return fired(started, detail + (trigger.failuresToFire() > 1
                  ? " (" + bad[i] + " consecutive bad readings of " + trigger.label() + ")" : ""));
            }
          }
          case GOOD -> bad[i] = 0;
          case INCONCLUSIVE -> {
            inconclusiveReadings++;
            inconclusive[i]++;
            endsInconclusive[i] = detail;
            if (inconclusive[i] >= trigger.inconclusiveToWait()) {
              String reason = inconclusive[i] + " inconclusive reading(s) of " + trigger.label() + " (limit "
                  + trigger.inconclusiveToWait() + "), the last: " + detail;
              return awaitDecision(started, reason, decisionTimeout, waiting, resumed);
            }
          }
        }
      }
    }
    String undecided = undecided(triggers, endsInconclusive, inconclusive);
    if (undecided != null
        && Workflow.getVersion(INCONCLUSIVE_END, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      return awaitDecision(started, undecided, decisionTimeout, waiting, resumed);
    }
    String summary = rounds + " readings over " + window.duration()
        + (readsMetrics ? "; worst error rate " + (worstErrorRate < 0 ? "n/a" : format(worstErrorRate) + "%")
            + ", worst p99 " + (worstP99 < 0 ? "n/a" : format(worstP99) + " ms") : "")
        + (inconclusiveReadings > 0 ? "; " + inconclusiveReadings + " inconclusive reading(s), under the limit" : "")
        + (metricsUrl == null && triggers.stream().anyMatch(RollbackTrigger::readsMetrics)
            ? "; the environment has no metrics_url, so error-rate and latency triggers were not read" : "");
    return new StepResult(Stage.WATCH, "Watch window", "watch", StepOutcome.PASSED,
        Workflow.currentTimeMillis() - started, summary);
  }

  /**
   * Why the window cannot pass on its readings: the first trigger whose last reading was inconclusive
   * (under its limit), or null when every trigger ended on a conclusive reading.
   */
  private static String undecided(List<RollbackTrigger> triggers, String[] endsInconclusive, int[] inconclusive) {
    for (int i = 0; i < triggers.size(); i++) {
      if (endsInconclusive[i] != null) {
        return "the window ended on an inconclusive reading of " + triggers.get(i).label() + " ("
            + inconclusive[i] + " inconclusive in the window, limit " + triggers.get(i).inconclusiveToWait()
            + "), the last: " + endsInconclusive[i];
      }
    }
    return null;
  }

  /** What a metrics trigger read when it holds; a query without a sample says so. */
  private String value(RollbackTrigger trigger, MetricsSample sample) {
    if (trigger.kind() == RollbackTrigger.Kind.ERROR_RATE) {
      if (sample.errorRatePercent() == null) {
        return "the error-rate query returned no sample (no traffic)";
      }
      worstErrorRate = Math.max(worstErrorRate, sample.errorRatePercent());
      return "error rate " + format(sample.errorRatePercent()) + "%";
    }
    if (sample.p99Millis() == null) {
      return "the p99 query returned no sample (no traffic)";
    }
    worstP99 = Math.max(worstP99, sample.p99Millis());
    return "p99 latency " + format(sample.p99Millis()) + " ms";
  }

  /** The first health check that fails, as the report states it, or null when all pass. */
  private String healthFailure(List<PipelineStep> healthChecks) {
    for (PipelineStep check : healthChecks) {
      StepResult result = runner.run(Stage.WATCH, check, HEALTH_RETRY_WINDOW);
      if (result.outcome() == StepOutcome.FAILED) {
        return "health check '" + check.name() + "' failed during the watch window: " + result.detail();
      }
    }
    return null;
  }

  private void note(WatchReading reading) {
    readings.add(reading);
    if (readings.size() > READINGS_SHOWN) {
      readings.remove(0);
    }
  }

  /** Waits for a person to accept the version or roll it back; the deadline rolls it back. */
  private StepResult awaitDecision(long started, String reason, Duration timeout, Runnable waiting,
      Runnable resumed) {
    requesterNeverAccepts =
        Workflow.getVersion(REQUESTER_NEVER_ACCEPTS, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    pending = new PendingWatchDecision(reason,
        Approvers.eligible(context.environment().approvers(), context.requester()),
        Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(timeout).toString(), List.copyOf(readings));
    waiting.run();
    boolean decided;
    try {
      decided = Waits.await(timeout, "decision on the watch readings, up to " + DurationRange.written(timeout),
          () -> verdict != null);
    } finally {
      // A cancellation ends the wait too, and the progress must not show a question nobody can answer.
      pending = null;
    }
    resumed.run();
    if (!decided) {
      return fired(started, "nobody accepted or rolled back the version within " + timeout + " after " + reason);
    }
    String who = verdictActor + (verdict.comment() == null || verdict.comment().isBlank()
        ? "" : " (" + verdict.comment() + ")");
    if (accepted) {
      return new StepResult(Stage.WATCH, "Watch window", "watch", StepOutcome.PASSED,
          Workflow.currentTimeMillis() - started, "accepted by " + who + " after " + reason);
    }
    return fired(started, "rolled back by " + who + " after " + reason);
  }

  /** The decision the watch waits for, or null when it does not wait. */
  PendingWatchDecision pending() {
    return pending;
  }

  /**
   * A person's decision while the watch waits: {@code accept} keeps the version, otherwise it is
   * rolled back. The approval gate's rule decides who counts ({@link Approvers#problem}): the
   * environment's approvers when it names any, and never the requester to accept; every decision is
   * recorded, accepted or not, with why.
   */
  void decide(Decision decision, boolean accept) {
    take(decision, accept, "signal");
  }

  /**
   * Verifies decisions from now on, as the approval gate does; without it (runs started before
   * decisions were signed) typed names count.
   */
  void signing(DecisionSigning decisionSigning) {
    this.signing = decisionSigning;
  }

  /** Why the decision would not count now, or null when it would: an Update validator's question. */
  String refusal(Decision decision, boolean accept) {
    return verdict(decision, accept, false).refusal();
  }

  /** Takes a decision, applying it when it counts, and records it either way. */
  DecisionRecord take(Decision decision, boolean accept, String via) {
    String signal = accept ? EnvironmentDeploymentWorkflow.APPROVE : EnvironmentDeploymentWorkflow.REJECT;
    // An Update's signature was verified by its validator; a signal's is verified here.
    Verdict checked = verdict(decision, accept, "update".equals(via));
    String problem = checked.refusal();
    if (problem == null) {
      verdict = decision;
      verdictActor = checked.identity() == null ? decision.actor() : checked.identity().actor();
      accepted = accept;
    }
    String note = problem == null
        ? (accept ? "the version is accepted despite the inconclusive readings" : "the version is rolled back")
        : "ignored: " + problem;
    DecisionRecord record = signing == null
        ? new DecisionRecord(signal, decision == null ? null : decision.actor(),
            decision == null ? null : decision.comment(), Instant.ofEpochMilli(Workflow.currentTimeMillis()),
            problem == null, note)
        : signing.record(signal, checked.identity(), decision, problem == null, note, via);
    decisions.add(record);
    return record;
  }

  private record Verdict(DecisionCheck.Identity identity, String refusal) {}

  private Verdict verdict(Decision decision, boolean accept, boolean verified) {
    if (signing == null) {
      String problem;
      if (decision == null || decision.actor() == null || decision.actor().isBlank()) {
        problem = "a decision must name its actor";
      } else if (pending == null || verdict != null) {
        problem = "the watch window is not waiting for a decision";
      } else {
        // Runs that waited before the rule was shared let the requester accept; they replay as they ran.
        problem = Approvers.problem(decision.actor(), context.environment().approvers(),
            requesterNeverAccepts ? context.requester() : null, accept, context.environment().name());
      }
      return new Verdict(null, problem);
    }
    if (pending == null || verdict != null) {
      return new Verdict(new DecisionCheck.Identity(decision == null ? null : decision.actor(), null,
          decision != null && decision.signed() ? DecisionRecord.INVALID : DecisionRecord.UNSIGNED, null),
          "the watch window is not waiting for a decision");
    }
    DecisionCheck.Identity identity = signing.identify(DecisionSigning.WATCH,
        accept ? EnvironmentDeploymentWorkflow.APPROVE : EnvironmentDeploymentWorkflow.REJECT, decision, verified);
    if (identity.refused()) {
      return new Verdict(identity, identity.refusal());
    }
    String problem = Approvers.problem(identity.actor(), context.environment().approvers(), context.requester(),
        accept, context.environment().name());
    if (problem == null && accept && signing.requesterKey(identity)) {
      problem = identity.actor() + " signed with the key that started this release and cannot accept it";
    }
    return new Verdict(identity, problem);
  }

  /** Every decision the watch received. */
  List<DecisionRecord> decisions() {
    return List.copyOf(decisions);
  }

  /** Watches; the result is FAILED, with the trigger and its values, when a trigger fired. */
  StepResult watch(List<RollbackTrigger> triggers, List<PipelineStep> healthChecks) {
    WatchWindow window = context.environment().watch();
    long started = Workflow.currentTimeMillis();
    if (window.duration().isZero() || triggers.isEmpty()) {
      return new StepResult(Stage.WATCH, "Watch window", "watch", StepOutcome.SKIPPED, 0,
          triggers.isEmpty() ? "the pipeline has no rollback triggers" : "the environment's watch window is 0s");
    }
    String metricsUrl = context.environment().metricsUrl();
    boolean readsMetrics = metricsUrl != null && triggers.stream().anyMatch(t -> t.kind() != RollbackTrigger.Kind.HEALTH_CHECK_FAILURE);
    long end = started + window.duration().toMillis();
    int readings = 0;
    int unreadable = 0;
    double worstErrorRate = -1;
    double worstP99 = -1;
    while (Workflow.currentTimeMillis() < end) {
      Workflow.sleep(Duration.ofMillis(Math.min(window.interval().toMillis(), end - Workflow.currentTimeMillis())));
      readings++;
      for (RollbackTrigger trigger : triggers) {
        if (trigger.kind() == RollbackTrigger.Kind.HEALTH_CHECK_FAILURE) {
          for (PipelineStep check : healthChecks) {
            StepResult result = runner.run(Stage.WATCH, check, HEALTH_RETRY_WINDOW);
            if (result.outcome() == StepOutcome.FAILED) {
              return fired(started, "health check '" + check.name() + "' failed during the watch window: " + result.detail());
            }
          }
        }
      }
      if (readsMetrics) {
        MetricsSample sample;
        try {
          sample = readMetrics(metricsUrl, window);
        } catch (StepFailure failure) {
          unreadable++;
          continue;
        }
        for (RollbackTrigger trigger : triggers) {
          String breach = breach(trigger, sample);
          if (breach != null) {
            return fired(started, breach);
          }
        }
        if (sample.errorRatePercent() != null) {
          worstErrorRate = Math.max(worstErrorRate, sample.errorRatePercent());
        }
        if (sample.p99Millis() != null) {
          worstP99 = Math.max(worstP99, sample.p99Millis());
        }
      }
    }
    String summary = readings + " readings over " + window.duration()
        + (readsMetrics ? "; worst error rate " + (worstErrorRate < 0 ? "n/a" : format(worstErrorRate) + "%")
            + ", worst p99 " + (worstP99 < 0 ? "n/a" : format(worstP99) + " ms") : "")
        + (unreadable > 0 ? "; " + unreadable + " metrics reading(s) failed" : "")
        + (metricsUrl == null && triggers.stream().anyMatch(t -> t.kind() != RollbackTrigger.Kind.HEALTH_CHECK_FAILURE)
            ? "; the environment has no metrics_url, so error-rate and latency triggers were not read" : "");
    return new StepResult(Stage.WATCH, "Watch window", "watch", StepOutcome.PASSED,
        Workflow.currentTimeMillis() - started, summary);
  }

  /** Reads the metrics source now; a failure to read it, other than a cancellation, is a {@link StepFailure}. */
  private MetricsSample readMetrics(String metricsUrl, WatchWindow window) {
    return Failures.orStepFailure(() -> metrics.readMetrics(new MetricsQuery(metricsUrl, window.errorRateQuery(),
            window.p99Query(), Instant.ofEpochMilli(Workflow.currentTimeMillis()))),
        message -> new StepFailure("the metrics source could not be read: " + message));
  }

  private StepResult fired(long started, String reason) {
    return new StepResult(Stage.WATCH, "Watch window", "watch", StepOutcome.FAILED,
        Workflow.currentTimeMillis() - started, reason);
  }

  /** The trigger's breach as the report states it, or null when it holds. */
  static String breach(RollbackTrigger trigger, MetricsSample sample) {
    return switch (trigger.kind()) {
      case ERROR_RATE -> sample.errorRatePercent() != null && sample.errorRatePercent() > trigger.errorRatePercent()
          ? "error rate " + format(sample.errorRatePercent()) + "% above " + format(trigger.errorRatePercent()) + "%"
          : null;
      case P99_LATENCY -> sample.p99Millis() != null && sample.p99Millis() > trigger.p99Latency().toMillis()
          ? "p99 latency " + format(sample.p99Millis()) + " ms above " + trigger.p99Latency().toMillis() + " ms"
          : null;
      case HEALTH_CHECK_FAILURE -> null;
    };
  }

  private static String format(double value) {
    return value >= Double.MAX_VALUE ? "inf" : String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
  }
}
