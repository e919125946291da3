package dev.silo.workflows.metrics;

import com.uber.m3.tally.Buckets;
import com.uber.m3.tally.Capabilities;
import com.uber.m3.tally.CapableOf;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.StatsReporter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps in memory, in order, every counter delta, gauge value and timer value a tally scope
 * reports, so a test can read what an operator's dashboard would have received. Histograms are
 * ignored: the workflow metrics use none.
 */
public final class RecordingStatsReporter implements StatsReporter {

  /** How often the scope built by {@link #scope()} reports; short, so a test sees a gauge while it holds. */
  private static final com.uber.m3.util.Duration REPORT_INTERVAL = com.uber.m3.util.Duration.ofMillis(20);

  private enum Kind {
    COUNTER,
    GAUGE,
    TIMER
  }

  private record Reading(Kind kind, String name, Map<String, String> tags, double value) {

    boolean matches(Kind wantedKind, String wantedName, Map<String, String> wantedTags) {
      return kind == wantedKind && name.equals(wantedName) && tags.entrySet().containsAll(wantedTags.entrySet());
    }
  }

  private final List<Reading> readings = new CopyOnWriteArrayList<>();

  /** A root scope reporting here every 20 ms; closing it reports what is left. */
  public Scope scope() {
    return new RootScopeBuilder().reporter(this).reportEvery(REPORT_INTERVAL);
  }

  /** The sum of a counter over every series whose tags include {@code tags}. */
  public long counter(String name, Map<String, String> tags) {
    return (long) readings.stream().filter(r -> r.matches(Kind.COUNTER, name, tags)).mapToDouble(Reading::value).sum();
  }

  /** Every value a gauge reported, in order, over every series whose tags include {@code tags}. */
  public List<Double> gauge(String name, Map<String, String> tags) {
    return readings.stream().filter(r -> r.matches(Kind.GAUGE, name, tags)).map(Reading::value).toList();
  }

  /** Every duration a timer recorded, in order, over every series whose tags include {@code tags}. */
  public List<Duration> timer(String name, Map<String, String> tags) {
    return readings.stream().filter(r -> r.matches(Kind.TIMER, name, tags))
        .map(r -> Duration.ofNanos((long) r.value())).toList();
  }

  @Override
  public void reportCounter(String name, Map<String, String> tags, long value) {
    readings.add(new Reading(Kind.COUNTER, name, Map.copyOf(tags), value));
  }

  @Override
  public void reportGauge(String name, Map<String, String> tags, double value) {
    readings.add(new Reading(Kind.GAUGE, name, Map.copyOf(tags), value));
  }

  @Override
  public void reportTimer(String name, Map<String, String> tags, com.uber.m3.util.Duration interval) {
    readings.add(new Reading(Kind.TIMER, name, Map.copyOf(tags), interval.getNanos()));
  }

  @Override
  public void reportHistogramValueSamples(String name, Map<String, String> tags, Buckets buckets,
      double bucketLowerBound, double bucketUpperBound, long samples) {
    // The workflows record no histograms.
  }

  @Override
  public void reportHistogramDurationSamples(String name, Map<String, String> tags, Buckets buckets,
      com.uber.m3.util.Duration bucketLowerBound, com.uber.m3.util.Duration bucketUpperBound, long samples) {
    // The workflows record no histograms.
  }

  @Override
  public Capabilities capabilities() {
    return CapableOf.REPORTING_TAGGING;
  }

  @Override
  public void flush() {
    // Every reading is kept as it arrives.
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
