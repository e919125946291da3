package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void givenInjectWithoutRelease_whenRun_itShouldExit2WithOneLineAndStartNothing() {
    int exitCode = run("--inject", "latency");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("demo: --inject is an option of --release" + System.lineSeparator());
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void givenASiloFailureWithRelease_whenRun_itShouldExit2WithOneLineAndStartNothing() {
    int exitCode = run("--release", "--fail", "fly");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("demo: --fail and --keep-containers").hasLineCount(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void givenRemoveContainersWithAFailureToShow_whenRun_itShouldExit2WithOneLineAndRemoveNothing() {
    int exitCode = run("--remove-containers", "--fail", "fly");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("demo: --remove-containers runs alone").hasLineCount(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void givenNoEngineAtDockerHost_whenRemovingKeptContainers_itShouldExit2NamingTheAddressTried(@TempDir Path tmp) {
    String dockerHost = "unix://" + tmp.resolve("no-engine.sock");

    int exitCode = run(Map.of("DOCKER_HOST", dockerHost), "--remove-containers");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("demo: no container engine: DOCKER_HOST=" + dockerHost + " does not answer (")
        .endsWith("; nothing was removed" + System.lineSeparator()).hasLineCount(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private int run(Map<String, String> env, String... args) {
    return new CommandLine(new DemoCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
  }
}
