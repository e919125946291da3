package dev.silo.worker.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One {@code silo worker} process, started as the launcher starts it (the worker jar, the JVM's
 * defaults) with its garbage collections logged, so its peak heap is the JVM's own figure and its
 * peak RSS the kernel's ({@code VmHWM} in {@code /proc/<pid>/status}).
 */
final class WorkerProcess implements AutoCloseable {

  private static final Duration READY_BOUND = Duration.ofSeconds(120);
  private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final Pattern PEAK_RSS = Pattern.compile("VmHWM:\\s+(\\d+) kB");

  private final Process process;
  private final Path log;
  private final Path gcLog;
  private long peakRssKb;
  private long gcLogFrom;

  private WorkerProcess(Process process, Path log, Path gcLog) {
    this.process = process;
    this.log = log;
    this.gcLog = gcLog;
  }

  /** The variable that holds a worker's JVM options, as the {@code silo} launcher reads it. */
  static final String JAVA_OPTIONS = "SILO_WORKER_JAVA_OPTIONS";

  /** The launcher's default: a heap of 384 MB, which keeps a worker under 512 MB resident. */
  static final String DEFAULT_JAVA_OPTIONS = "-Xmx384m";

  /** Starts a worker in {@code work} with {@code environment} and waits until it polls. */
  static WorkerProcess start(Path work, String name, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path log = work.resolve(name + ".log");
    Path gcLog = work.resolve(name + "-gc.log");
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xlog:gc:file=" + gcLog));
    // The JVM options `./silo worker` starts a worker with, so that memory is measured as run.
    String options = environment.getOrDefault(JAVA_OPTIONS, DEFAULT_JAVA_OPTIONS).trim();
    if (!options.isEmpty()) {
      command.addAll(List.of(options.split("\\s+")));
    }
    command.addAll(List.of("-cp", classpath(), "dev.silo.worker.WorkerMain", "worker"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(work.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    WorkerProcess worker = new WorkerProcess(builder.start(), log, gcLog);
    long deadline = System.nanoTime() + READY_BOUND.toNanos();
    while (!Files.readString(log).contains("worker polling")) {
      if (!worker.process.isAlive() || System.nanoTime() > deadline) {
        worker.process.destroyForcibly();
        List<String> lines = Files.readAllLines(log);
        throw new IllegalStateException("the worker " + name + " did not start polling within "
            + READY_BOUND.toSeconds() + " s; it said:\n" + String.join("\n", lines.subList(Math.max(0,
            lines.size() - 20), lines.size())));
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

  /**
   * Starts a new measurement: the kernel's peak resident set is reset (writing 5 to {@code
   * /proc/<pid>/clear_refs}) and only collections logged from now on count.
   */
  void startMeasuring() {
    try {
      gcLogFrom = Files.exists(gcLog) ? Files.size(gcLog) : 0;
      Files.writeString(Path.of("/proc", Long.toString(pid()), "clear_refs"), "5");
    } catch (IOException | RuntimeException notLinux) {
      // The peak then covers the process's whole life, which the README says.
    }
    peakRssKb = 0;
  }

  /** The peak resident set since {@link #startMeasuring()}, in MB; the last one read once the process is gone. */
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

  /**
   * The most heap the JVM held in use before any of its collections since {@link
   * #startMeasuring()}, in MB; 0 before the first.
   */
  double peakHeapMb() {
    double peak = 0;
    try {
      String log = Files.readString(gcLog);
      Matcher matcher = GC_HEAP.matcher(log.substring((int) Math.min(gcLogFrom, log.length())));
      while (matcher.find()) {
        peak = Math.max(peak, Double.parseDouble(matcher.group(1)));
      }
    } catch (IOException noCollectionYet) {
      peak = 0;
    }
    return Math.max(peak, heapInUseMb());
  }

  /** The heap in use now, as {@code jcmd <pid> GC.heap_info} tells it; 0 when it cannot. */
  private double heapInUseMb() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!process.isAlive() || !Files.isExecutable(jcmd)) {
      return 0;
    }
    try {
      Process info = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.heap_info")
          .redirectErrorStream(true).start();
      String text = new String(info.getInputStream().readAllBytes());
      info.waitFor(30, TimeUnit.SECONDS);
      Matcher used = HEAP_USED.matcher(text);
      return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** SIGKILLs the process and waits until it is gone. */
  void kill() throws InterruptedException {
    peakRssMb();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process.isAlive();
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

  /** This JVM's classpath (the worker jar, when the launcher started it), absolute: workers run elsewhere. */
  private static String classpath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
