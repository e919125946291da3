package dev.silo.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

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
}
