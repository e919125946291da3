package dev.silo.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.silo.sandbox.CallLog;
import dev.silo.workflows.silo.StepName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiloFiguresTest {

  private static final String RUN = "silo-bench0n0-crm";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final List<SiloHistory.Activity> activities = new ArrayList<>();
  private final List<CallLog.Call> calls = new ArrayList<>();
  private int ids;

  /** An activity scheduled at {@code at} ms, started 10 ms later, running {@code ms}, with one call as long. */
  private SiloHistory.Activity activity(String type, long at, long ms, boolean withCall) {
    String id = Integer.toString(++ids);
    Instant started = T0.plusMillis(at + 10);
    SiloHistory.Activity activity = new SiloHistory.Activity(type, id, T0.plusMillis(at), started,
        started.plusMillis(ms), 1, "1@host", true);
    activities.add(activity);
    if (withCall) {
      calls.add(new CallLog.Call("fly", "POST", "/v1/apps", activity.caller(RUN), started, started.plusMillis(ms), 200));
    }
    return activity;
  }

  private SiloHistory history(long endMs, long approvalWaitMs, long approvedAtMs) {
    return new SiloHistory(RUN, T0, T0.plusMillis(endMs), Duration.ofMillis(approvalWaitMs),
        T0.plusMillis(approvedAtMs), activities, 123, true);
  }

  @Test
  void givenFlyAndGitSideBySide_theCriticalPathShouldTakeTheSlowerAndTheSumBoth() {
    activity("LoadSiloConfig", 0, 100, false);
    activity("LoadSiloConfig", 1_000, 100, false);
    activity("CreateApp", 1_200, 300, true);
    activity("CreateApp", 1_200, 200, true);
    activity("DeployApp", 1_600, 1_000, true);
    activity("PushBranch", 1_200, 400, false);
    activity("UpdateSiloStatus", 2_700, 50, true);
    activity("LogSiloEvent", 2_800, 50, true);

    SiloFigures figures = SiloFigures.of(history(3_000, 800, 900), calls);

    // VALIDATE 100 (its two readings count side by side), FLY 300 + 1000, DESK 50 side by side.
    assertThat(figures.criticalPath()).isCloseTo(1_450, within(0.001));
    assertThat(figures.pathSteps()).containsExactly(StepName.VALIDATE, StepName.FLY, StepName.DESK);
    assertThat(figures.activitiesOnPath()).isEqualTo(4);
    assertThat(figures.sequentialSum()).isCloseTo(2_200, within(0.001));
    assertThat(figures.wall()).isCloseTo(2_200, within(0.001));
    assertThat(figures.scheduleToStart()).containsOnly(10.0);
    assertThat(figures.unknownTypes()).isEmpty();
  }

  @Test
  void givenAnActivityTypeTheTableDoesNotKnow_itShouldBeReportedNotDropped() {
    activity("LoadSiloConfig", 0, 100, false);
    activity("CreateApp", 1_200, 300, true);
    activity("ReticulateSplines", 1_600, 5_000, true);

    SiloFigures figures = SiloFigures.of(history(8_000, 500, 900), calls);

    assertThat(figures.unknownTypes()).containsExactly("ReticulateSplines");
    assertThat(figures.sequentialSum()).isCloseTo(5_400, within(0.001));
    assertThat(figures.activities()).isEqualTo(3);
  }

  @Test
  void givenAPollingWait_itShouldCountTheVendorsWorkBetweenPollsButNotTheLastPollsSlack() {
    Instant start = T0;
    List<CallLog.Call> polls = List.of(
        new CallLog.Call("fly", "GET", "/m", "c", start, start.plusMillis(10), 200),
        new CallLog.Call("fly", "GET", "/m", "c", start.plusMillis(2_000), start.plusMillis(2_010), 200),
        new CallLog.Call("fly", "GET", "/m", "c", start.plusMillis(4_000), start.plusMillis(4_010), 200));

    assertThat(SiloFigures.waited(polls)).isCloseTo(2_020, within(0.001));
    assertThat(SiloFigures.waited(polls.subList(0, 1))).isCloseTo(10, within(0.001));
  }

  @Test
  void givenRetriedCalls_theWorkShouldCountOverlapsOnceAndGapsNever() {
    Instant start = T0;
    List<CallLog.Call> overlapping = List.of(
        new CallLog.Call("netlify", "GET", "/a", "c", start, start.plusMillis(100), 200),
        new CallLog.Call("netlify", "GET", "/a", "c", start.plusMillis(50), start.plusMillis(150), 200),
        new CallLog.Call("netlify", "GET", "/a", "c", start.plusMillis(1_000), start.plusMillis(1_010), 429));

    assertThat(SiloFigures.union(overlapping)).isCloseTo(160, within(0.001));
  }
}
