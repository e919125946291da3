package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.worker.WorkerMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failure demos as a user starts them: {@code silo demo --fail SYSTEM} in a JVM of its own, so
 * that logging is configured as in {@code ./silo demo} (the simple logger fixes a logger's level
 * when the logger is created, which a shared test JVM has long done).
 */
class DemoFailureOutputIT {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"netlify", "fly"})
  void givenAFailureDemo_whenItRuns_itShouldPrintTheFailedReportAndNoStackTrace(String system) throws Exception {
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process demo = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dsilo.home=" + repository(),
        WorkerMain.class.getName(), "demo", "--fail", system, "--latency", "0"))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();

    boolean ended = demo.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      demo.destroyForcibly();
    }

    String printed = read(out);
    String errors = read(err);
    assertThat(ended).as("the demo ended within 5 minutes; it printed:\n" + printed + errors).isTrue();
    assertThat(demo.exitValue()).as(printed + errors).isEqualTo(1);
    assertThat(printed).contains("SILO DEPLOYMENT FAILED : acme-crm");
    assertThat(printed + errors).doesNotContain("\tat ").doesNotContain(" WARN ").doesNotContain("Exception");
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("examples").toFile().isDirectory() ? here : here.getParent();
  }
}
