package dev.silo.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code silo bench}: deploys N silos at once at sandbox latency L, for each N and L asked for, and
 * prints and writes what it measured ({@link CaseResult}).
 */
@Command(
    name = "bench",
    description = {
      "Measures N silos deployed at once against the sandbox at latency L per call, for each N and L.",
      "It deploys copies of the example silo with containers skipped, and reports wall per silo against its",
      "critical path and sequential sum, orchestration overhead, schedule-to-start, history sizes, worker",
      "memory, 429s, failures and duplicates.",
      "Runs the real Temporal dev server when a 'temporal' binary is found, else the embedded one."
    })
public final class BenchCommand implements Callable<Integer> {

  private static final Duration CASE_BOUND = Duration.ofMinutes(10);

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--silos", split = ",", paramLabel = "N", defaultValue = "1,10,50",
      description = "How many silos to deploy at once, one case each (default ${DEFAULT-VALUE}).")
  private List<Integer> silos;

  @Option(names = "--latency", split = ",", paramLabel = "MILLIS", defaultValue = "0,150,500",
      description = "What each sandbox call waits, one set of cases each (default ${DEFAULT-VALUE}).")
  private List<Long> latencies;

  @Option(names = "--workers", paramLabel = "COUNT", defaultValue = "1",
      description = "How many 'silo worker' processes share the task queues (default ${DEFAULT-VALUE}).")
  private int workers;

  @Option(names = "--kill-worker-after", paramLabel = "SECONDS",
      description = "With --workers 2 or more: SIGKILL the first worker this many seconds into each case.")
  private Double killAfter;

  @Option(names = "--rate-limits",
      description = "The sandbox enforces Netlify's 500 requests a minute and the Fly Machines API's per-action"
          + " limits, answering 429 with Retry-After.")
  private boolean rateLimits;

  @Option(names = "--output", paramLabel = "FILE", description = "Also write the figures to FILE as JSON.")
  private Path output;

  @Option(names = "--case-bound", paramLabel = "SECONDS", hidden = true,
      description = "How long a case waits for its runs at most (default 600).")
  private Long caseBoundSeconds;

  public BenchCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (workers < 1 || silos.stream().anyMatch(n -> n < 1) || latencies.stream().anyMatch(l -> l < 0)) {
      err.println("bench: --workers and --silos take positive numbers, --latency non-negative ones");
      return 2;
    }
    if (killAfter != null && workers < 2) {
      err.println("bench: --kill-worker-after needs --workers 2 or more, so that a worker survives");
      return 2;
    }
    System.setProperty("org.slf4j.simpleLogger.log.io.temporal", "warn");
    Duration bound = caseBoundSeconds == null ? CASE_BOUND : Duration.ofSeconds(caseBoundSeconds);
    List<CaseResult> results = new ArrayList<>();
    Instant started = Instant.now();
    String server;
    try (BenchRig rig = BenchRig.start(repository(), env, line -> out.println("  " + line));
        WorkerPool pool = new WorkerPool(rig)) {
      server = rig.serverDescription();
      out.println("warm-up: one silo at 0 ms per call, not counted");
      CaseResult warmUp = new BenchCase(rig, pool, new BenchCase.Settings("w", 1, Duration.ZERO, workers, null,
          false, bound), line -> { }).run();
      if (warmUp.failures() > 0) {
        err.println("bench: the warm-up silo did not deploy: " + warmUp.failureDetails());
        return 1;
      }
      int index = 0;
      long netlifyCalls = warmUp.netlifyCalls();
      for (long latency : latencies) {
        for (int n : silos) {
          Duration refill = netlifyRefill(netlifyCalls, env);
          if (!refill.isZero()) {
            out.printf("  (%d s for the workers' Netlify allowance to refill after the %d calls before)%n",
                refill.toSeconds(), netlifyCalls);
            Thread.sleep(refill.toMillis());
          }
          out.printf("case %d: %d silo(s) at %d ms per call, %d worker(s)%s%n", index, n, latency, workers,
              killAfter == null ? "" : ", one killed after " + killAfter + " s");
          Duration kill = killAfter == null ? null : Duration.ofMillis(Math.round(killAfter * 1000));
          CaseResult result = new BenchCase(rig, pool, new BenchCase.Settings(Integer.toString(index++), n, Duration.ofMillis(latency),
              workers, kill, rateLimits, bound), line -> out.println("  " + line)).run();
          results.add(result);
          netlifyCalls = result.netlifyCalls();
          out.println("  " + BenchTable.summary(result));
        }
      }
    }
    out.println();
    BenchTable.print(results, out);
    Duration took = Duration.between(started, Instant.now());
    out.printf("%nthe benchmark took %d s%n", took.toSeconds());
    if (output != null) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("startedAt", started.toString());
      document.put("tookSeconds", took.toSeconds());
      document.put("server", server);
      document.put("processors", Runtime.getRuntime().availableProcessors());
      document.put("cases", results);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.toFile(), document);
      out.println("figures written to " + output.toAbsolutePath());
    }
    boolean clean = results.stream().allMatch(result -> result.failures() == 0 && result.duplicates() == 0);
    return clean ? 0 : 1;
  }

  /** The launcher passes the repository root; run from elsewhere, the working directory is used. */
  private static Path repository() {
    String home = System.getProperty("silo.home");
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }

  /**
   * How long the workers' Netlify limiter takes to get back the requests a case used, so that each
   * case starts with a full minute's allowance, as a fleet deployed after a quiet minute would: the
   * worker keeps {@code SILO_NETLIFY_RATE_PER_MINUTE} (default 500) a minute.
   */
  static Duration netlifyRefill(long calls, Map<String, String> env) {
    int perMinute;
    try {
      perMinute = Integer.parseInt(env.getOrDefault("SILO_NETLIFY_RATE_PER_MINUTE", "500").trim());
    } catch (NumberFormatException e) {
      perMinute = 500;
    }
    if (calls <= 0 || perMinute <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(Math.min(60_000, (long) Math.ceil(calls * 60_000.0 / perMinute)));
  }
}
