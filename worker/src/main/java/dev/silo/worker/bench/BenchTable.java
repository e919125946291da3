package dev.silo.worker.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The benchmark's figures as a table for the terminal. */
final class BenchTable {

  private static final String HEADER = String.format(Locale.ROOT,
      "%4s %5s %8s %8s %8s %8s %8s %7s %7s %8s %8s %7s %6s %6s %5s %4s %4s",
      "N", "L ms", "wall med", "wall p95", "wall max", "crit med", "seq med", "w/crit", "w/seq", "ovh/act",
      "s2s p95", "events", "heap", "RSS", "429", "fail", "dup");

  private BenchTable() {}

  static void print(List<CaseResult> results, PrintStream out) {
    out.println("times in ms, memory in MB; per silo, medians unless said; wall excludes the approval wait");
    out.println(HEADER);
    for (CaseResult r : results) {
      out.println(row(r));
    }
  }

  static String row(CaseResult r) {
    return String.format(Locale.ROOT,
        "%4d %5d %8.0f %8.0f %8.0f %8.0f %8.0f %7.2f %7.2f %8.0f %8.0f %7.0f %6.0f %6.0f %5d %4d %4d",
        r.silos(), r.latencyMs(), r.wallMs().median(), r.wallMs().p95(), r.wallMs().max(), r.criticalPathMs().median(),
        r.sequentialSumMs().median(), r.wallOverCriticalPath().median(), r.wallOverSequentialSum().median(),
        r.overheadPerActivityMs().median(), r.scheduleToStartP95Ms(), r.historyEvents().median(), r.workerHeapMb(),
        r.workerRssMb(), r.http429Received(), r.failures(), r.duplicates());
  }

  /** One line on a case, as it ends. */
  static String summary(CaseResult r) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "wall median %.0f ms (max %.0f), wall/critical path %.2f, wall/sequential sum %.2f, %d failure(s),"
            + " %d duplicate(s)", r.wallMs().median(), r.wallMs().max(), r.wallOverCriticalPath().median(),
        r.wallOverSequentialSum().median(), r.failures(), r.duplicates()));
    if (!r.unknownActivityTypes().isEmpty()) {
      line.append("; activity types the step table does not know: ").append(r.unknownActivityTypes());
    }
    StringBuilder cpu = new StringBuilder();
    r.cpuSecondsPerSilo().forEach((process, seconds) -> cpu.append(cpu.length() == 0 ? "" : ", ")
        .append(process).append(' ').append(String.format(Locale.ROOT, "%.2f", seconds)));
    line.append(String.format(Locale.ROOT, "%n    CPU s per silo: %s; fleet wall %.0f ms, CPU floor %.0f ms;"
        + " workflow tasks wait p95 %.0f ms, run p95 %.0f ms", cpu, r.fleetWallMs(), r.cpuFloorMs(),
        r.workflowTaskWaitMs().p95(), r.workflowTaskRunMs().p95()));
    r.failureDetails().forEach((silo, why) -> line.append("\n    ").append(silo).append(": ").append(why));
    if (r.kill() != null) {
      line.append(String.format(Locale.ROOT, "%n    kill after %.1f s: %d activities on the killed worker, moved"
          + " in median %.0f ms, max %.0f ms; %d never started again", r.kill().afterSeconds(),
          r.kill().activitiesOnKilledWorker(), r.kill().movedMs().median(), r.kill().movedMs().max(),
          r.kill().notMoved()));
    }
    return line.toString();
  }
}
