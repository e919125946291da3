package dev.silo.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code silo bench} end to end, small: the real server when the CI installed it, the sandbox,
 * {@code silo worker} processes from this build. It asserts that every figure is there and
 * computed, never how fast anything was.
 */
class BenchIT {

  private static final List<String> FIGURES = List.of("wallMs", "fleetWallMs", "criticalPathMs", "sequentialSumMs",
      "wallOverCriticalPath", "wallOverSequentialSum", "overheadPerActivityMs", "criticalPathSteps",
      "activitiesPerSilo", "scheduleToStartP95Ms", "historyEvents", "workerHeapMb", "workerRssMb", "http429Sent",
      "http429Received", "failures", "duplicates", "unknownActivityTypes", "calls");

  @TempDir
  Path directory;

  @BeforeAll
  static void fromTheRepositoryRoot() {
    // The launcher names the repository root; tests run in the worker module.
    System.setProperty("silo.home", "..");
  }

  private JsonNode bench(String... args) throws Exception {
    Path output = directory.resolve("bench.json");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--output";
    all[args.length + 1] = output.toString();
    int code = new CommandLine(new BenchCommand(System.getenv(), out, out)).execute(all);
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(Files.exists(output)).as(text).isTrue();
    return new ObjectMapper().readTree(output.toFile());
  }

  @Test
  void givenTwoSilosAtNoLatency_itShouldWriteEveryFigureWithNoFailureAndNoDuplicate() throws Exception {
    JsonNode document = bench("--silos", "2", "--latency", "0", "--workers", "1");

    assertThat(document.path("processors").asInt()).isPositive();
    JsonNode result = document.path("cases").get(0);
    for (String figure : FIGURES) {
      assertThat(result.has(figure)).as(figure).isTrue();
    }
    assertThat(result.path("silos").asInt()).isEqualTo(2);
    assertThat(result.path("failures").asInt()).as(result.path("failureDetails").toString()).isZero();
    assertThat(result.path("duplicates").asInt()).as(result.path("duplicateDetails").toString()).isZero();
    assertThat(result.path("unknownActivityTypes")).isEmpty();
    assertThat(result.path("wallMs").path("count").asInt()).isEqualTo(2);
    assertThat(result.path("criticalPathMs").path("median").asDouble()).isPositive();
    assertThat(result.path("sequentialSumMs").path("median").asDouble())
        .isGreaterThanOrEqualTo(result.path("criticalPathMs").path("median").asDouble());
    assertThat(result.path("wallOverCriticalPath").path("median").asDouble()).isPositive();
    assertThat(result.path("wallOverSequentialSum").path("median").asDouble()).isPositive();
    assertThat(result.path("criticalPathSteps").toString()).contains("FLY", "NETLIFY", "DESK");
    assertThat(result.path("historyEvents").path("median").asDouble()).isPositive();
    assertThat(result.path("workerRssMb").asDouble()).isPositive();
    assertThat(result.path("workerHeapMb").asDouble()).isPositive();
    for (String vendor : List.of("fly", "netlify", "desk")) {
      assertThat(result.path("calls").path(vendor).path("withCaller").asLong()).as(vendor).isPositive();
    }
  }

  @Test
  void givenTwoWorkersAndOneKilled_everySiloShouldDeployOnceAndTheMoveBeMeasured() throws Exception {
    JsonNode document = bench("--silos", "3", "--latency", "0", "--workers", "2", "--kill-worker-after", "3");

    JsonNode result = document.path("cases").get(0);
    assertThat(result.path("failures").asInt()).as(result.path("failureDetails").toString()).isZero();
    assertThat(result.path("duplicates").asInt()).as(result.path("duplicateDetails").toString()).isZero();
    JsonNode kill = result.path("kill");
    assertThat(kill.isObject()).as(result.toString()).isTrue();
    assertThat(kill.path("movedMs").path("count").asInt() + kill.path("notMoved").asInt())
        .isEqualTo(kill.path("activitiesOnKilledWorker").asInt());
  }
}
