package dev.silo.worker.bench;

import dev.silo.sandbox.CallLog;
import dev.silo.workflows.silo.StepName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One silo's figures, from its history and the sandbox's call records.
 *
 * <p>An activity's work is the time the vendors spent answering its calls (the union of their
 * intervals, so a retry's backoff is not work). An activity that waits for a vendor's state by
 * polling ({@link ActivitySteps#WAITS}) also waits while the vendor works between its polls: it
 * counts from its first call's start to its next-to-last call's end (the state was not reached
 * then), plus its last call, so only the slack of its last poll interval is left out. An activity
 * that makes no sandbox call (loading the
 * config, the secrets, the migrations against the pg app's PostgreSQL, the Git branch pushed to a
 * local bare repository) counts by its last attempt's own duration in the history. A phase weighs
 * its heaviest activity, a step the sum of its phases, and the critical path is the longest chain
 * of steps by {@link ActivitySteps#NEEDS}. The sequential sum adds every call and every call-less
 * activity, as if nothing ran side by side.
 *
 * @param wall the run's duration without its approval wait, in ms
 * @param criticalPath in ms
 * @param sequentialSum in ms
 * @param activitiesOnPath how many phases the critical path goes through (one activity each)
 * @param pathSteps the steps of the critical path
 * @param activities how many activities the run scheduled
 * @param scheduleToStart each first attempt's wait from scheduled to started, in ms
 * @param unknownTypes activity types {@link ActivitySteps} does not place
 * @param events the history's event count
 */
record SiloFigures(double wall, double criticalPath, double sequentialSum, int activitiesOnPath,
    List<StepName> pathSteps, int activities, List<Double> scheduleToStart, Set<String> unknownTypes, int events) {

  static SiloFigures of(SiloHistory history, List<CallLog.Call> calls) {
    Map<String, List<CallLog.Call>> byCaller = new HashMap<>();
    for (CallLog.Call call : calls) {
      if (call.caller() != null) {
        byCaller.computeIfAbsent(call.caller(), key -> new ArrayList<>()).add(call);
      }
    }
    Map<StepName, TreeMap<Integer, Double>> phases = new EnumMap<>(StepName.class);
    Set<String> unknown = new TreeSet<>();
    List<Double> scheduleToStart = new ArrayList<>();
    double sequential = 0;
    Instant validateEnded = ActivitySteps.validateEnded(history);
    for (SiloHistory.Activity activity : history.activities()) {
      if (ActivitySteps.ASIDE.contains(activity.type())) {
        continue;
      }
      List<CallLog.Call> own = byCaller.getOrDefault(activity.caller(history.workflowId()), List.of());
      double work = own.isEmpty() ? millis(activity.ran())
          : ActivitySteps.WAITS.contains(activity.type()) ? waited(own) : union(own);
      sequential += own.isEmpty() ? work : own.stream().mapToDouble(call -> millis(call.duration())).sum();
      if (activity.started() != null && activity.attempt() == 1) {
        scheduleToStart.add(millis(Duration.between(activity.scheduled(), activity.started())));
      }
      var placement = ActivitySteps.of(activity.type(),
          validateEnded == null || activity.scheduled().isBefore(validateEnded));
      if (placement.isEmpty()) {
        unknown.add(activity.type());
        continue;
      }
      phases.computeIfAbsent(placement.get().step(), step -> new TreeMap<>())
          .merge(placement.get().phase(), work, Math::max);
    }
    Map<StepName, Double> weights = new EnumMap<>(StepName.class);
    phases.forEach((step, byPhase) -> weights.put(step, byPhase.values().stream().mapToDouble(d -> d).sum()));
    CriticalPath<StepName> path = CriticalPath.of(ActivitySteps.ORDER, weights, ActivitySteps.NEEDS);
    int onPath = path.nodes().stream().mapToInt(step -> phases.getOrDefault(step, new TreeMap<>()).size()).sum();
    double wall = history.wall() == null ? 0 : millis(history.wall());
    return new SiloFigures(wall, path.length(), sequential, onPath, path.nodes(), history.activities().size(),
        scheduleToStart, unknown, history.events());
  }

  /**
   * A poll's wait, in ms: from the first call's start to the next-to-last call's end, plus the last
   * call; the calls' union when they overlap more than that.
   */
  static double waited(List<CallLog.Call> calls) {
    List<CallLog.Call> sorted = new ArrayList<>(calls);
    sorted.sort(Comparator.comparing(CallLog.Call::start));
    CallLog.Call last = sorted.get(sorted.size() - 1);
    double notYet = sorted.size() < 2 ? 0
        : millis(Duration.between(sorted.get(0).start(), sorted.get(sorted.size() - 2).end()));
    return Math.max(notYet + millis(last.duration()), union(calls));
  }

  /** The time covered by the calls' intervals, each instant once, in ms. */
  static double union(List<CallLog.Call> calls) {
    List<CallLog.Call> sorted = new ArrayList<>(calls);
    sorted.sort(Comparator.comparing(CallLog.Call::start));
    double total = 0;
    Instant coveredTo = null;
    for (CallLog.Call call : sorted) {
      Instant from = coveredTo == null || call.start().isAfter(coveredTo) ? call.start() : coveredTo;
      if (call.end().isAfter(from)) {
        total += millis(Duration.between(from, call.end()));
        coveredTo = call.end();
      }
    }
    return total;
  }

  static double millis(Duration duration) {
    return duration.toNanos() / 1e6;
  }
}
