package dev.silo.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code silo worker} process, started as the launcher starts it (the worker jar, the JVM's
 * defaults) with its garbage collections logged, so its peak heap is the JVM's own figure and its
 * peak RSS the kernel's ({@code VmHWM} in {@code /proc/<pid>/status}).
 */
final class WorkerProcess implements AutoCloseable {

  private static final Duration READY_BOUND = Duration.ofSeconds(120);
  private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final Pattern PEAK_RSS = Pattern.compile("VmHWM:\\s+(\\d+) kB");

  private final Process process;
  private final Path log;
  private final Path gcLog;
  private long peakRssKb;

  private WorkerProcess(Process process, Path log, Path gcLog) {
    this.process = process;
    this.log = log;
    this.gcLog = gcLog;
  }

  /** Starts a worker in {@code work} with {@code environment} and waits until it polls. */
  static WorkerProcess start(Path work, String name, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path log = work.resolve(name + ".log");
    Path gcLog = work.resolve(name + "-gc.log");
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xlog:gc:file=" + gcLog,
        "-cp", System.getProperty("java.class.path"), "dev.silo.worker.WorkerMain", "worker"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(work.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    WorkerProcess worker = new WorkerProcess(builder.start(), log, gcLog);
    long deadline = System.nanoTime() + READY_BOUND.toNanos();
    while (!Files.readString(log).contains("worker polling")) {
      if (!worker.process.isAlive() || System.nanoTime() > deadline) {
        worker.process.destroyForcibly();
        throw new IllegalStateException("the worker " + name + " did not start polling within "
            + READY_BOUND.toSeconds() + " s; its log: " + log);
      }
      Thread.sleep(100);
    }
    return worker;
  }

  long pid() {
    return process.pid();
  }

  /** Whether the activity-task identity {@code identity} is this worker's (the SDK's {@code pid@host}). */
  boolean owns(String identity) {
    return identity != null && identity.startsWith(pid() + "@");
  }

  /** The peak resident set so far, in MB; the last one read once the process is gone. */
  double peakRssMb() {
    try {
      Matcher matcher = PEAK_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
      if (matcher.find()) {
        peakRssKb = Math.max(peakRssKb, Long.parseLong(matcher.group(1)));
      }
    } catch (IOException | RuntimeException gone) {
      // The process ended (or this is not Linux): the last figure read stands.
    }
    return peakRssKb / 1024.0;
  }

  /** The most heap the JVM held in use, before any of its collections, in MB; 0 before the first. */
  double peakHeapMb() {
    double peak = 0;
    try {
      Matcher matcher = GC_HEAP.matcher(Files.readString(gcLog));
      while (matcher.find()) {
        peak = Math.max(peak, Double.parseDouble(matcher.group(1)));
      }
    } catch (IOException noCollectionYet) {
      return 0;
    }
    return peak;
  }

  /** SIGKILLs the process and waits until it is gone. */
  void kill() throws InterruptedException {
    peakRssMb();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  Path log() {
    return log;
  }

  @Override
  public void close() {
    peakRssMb();
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
