package dev.silo.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The CPU time a process has used so far, user and system, as Linux counts it in {@code
 * /proc/<pid>/stat}: what a benchmark subtracts around a case to tell how much CPU each silo cost
 * the worker, the server and the emulators, and so the least time the fleet could take on this
 * machine's cores.
 */
final class ProcessCpu {

  /** Linux reports these times in clock ticks of 1/100 s on every architecture it runs here. */
  private static final double TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** The CPU seconds of process {@code pid}, or empty when it cannot be read (not Linux, gone). */
  static OptionalDouble seconds(long pid) {
    try {
      return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException unreadable) {
      return OptionalDouble.empty();
    }
  }

  /**
   * The user and system times of a {@code stat} line. The command name, in parentheses, may hold
   * spaces, so the fields are counted after its closing parenthesis: utime and stime are the 14th
   * and 15th fields of the line.
   */
  static OptionalDouble parse(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return OptionalDouble.empty();
    }
    String[] fields = stat.substring(close + 2).trim().split("\\s+");
    // fields[0] is the 3rd field (state), so the 14th and 15th are at 11 and 12.
    if (fields.length < 13) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND);
  }

  /**
   * The CPU seconds used so far by the workers (together; a killed one keeps what it had), the real
   * server when it runs in a process of its own, and this process (the emulators, the CLI commands
   * and the benchmark itself).
   */
  static Map<String, Double> used(List<WorkerProcess> workers, OptionalLong serverPid) {
    Map<String, Double> seconds = new TreeMap<>();
    for (WorkerProcess worker : workers) {
      seconds(worker.pid()).ifPresent(used -> seconds.merge("workers", used, Double::sum));
    }
    serverPid.ifPresent(pid -> seconds(pid).ifPresent(used -> seconds.put("server", used)));
    seconds(ProcessHandle.current().pid()).ifPresent(used -> seconds.put("bench and emulators", used));
    return seconds;
  }
}
