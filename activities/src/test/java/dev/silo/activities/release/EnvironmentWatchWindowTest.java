package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.WatchWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch window keys of an environment file: read when written, the defaults when not. */
class EnvironmentWatchWindowTest {

  private static final Path EXAMPLE_ENVIRONMENTS =
      Path.of("..", "examples", "release", "environments");

  @TempDir Path environments;

  private Path dev;

  @BeforeEach
  void copyExampleEnvironments() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLE_ENVIRONMENTS)) {
      for (Path file : files.toList()) {
        Files.copy(file, environments.resolve(file.getFileName().toString()));
      }
    }
    dev = environments.resolve("dev.yml");
  }

  @Test
  void givenNoWatchKeys_whenLoaded_itShouldUseTheDefaultWindow() throws Exception {
    assertThat(load().get(0).watch()).isEqualTo(WatchWindow.DEFAULT);
  }

  @Test
  void givenEveryWatchKey_whenLoaded_itShouldReadThemAll() throws Exception {
    append(
        """
        watch_window: 15m
        watch_interval: 1m
        error_rate_query: sum(rate(errors_total[1m]))
        p99_query: "1000 * histogram_quantile(0.99, rate(latency_bucket[1m]))"
        """);

    assertThat(load().get(0).watch())
        .isEqualTo(
            new WatchWindow(
                Duration.ofMinutes(15),
                Duration.ofMinutes(1),
                "sum(rate(errors_total[1m]))",
                "1000 * histogram_quantile(0.99, rate(latency_bucket[1m]))"));
  }

  @Test
  void givenAZeroWatchWindow_whenLoaded_itShouldSkipTheWatchAndKeepTheOtherDefaults()
      throws Exception {
    append("watch_window: 0s\n");

    WatchWindow watch = load().get(0).watch();

    assertThat(watch.duration()).isZero();
    assertThat(watch)
        .isEqualTo(
            new WatchWindow(
                Duration.ZERO,
                WatchWindow.DEFAULT.interval(),
                WatchWindow.DEFAULT_ERROR_RATE_QUERY,
                WatchWindow.DEFAULT_P99_QUERY));
  }

  @Test
  void givenABadWatchWindow_whenLoaded_itShouldNameTheValueAndItsLine() throws Exception {
    append("watch_window: 5 minutes\n");

    assertThat(problems())
        .containsExactly(
            dev
                + ":12: bad duration '5 minutes' for watch_window of environment dev; write it"
                + " like 5s, 10m or 1m30s");
  }

  @Test
  void givenAZeroWatchInterval_whenLoaded_itShouldAskForOneInRange() throws Exception {
    append("watch_window: 10m\nwatch_interval: 0s\n");

    assertThat(problems())
        .containsExactly(dev + ":13: watch_interval of environment dev must be from 1s to 1h, not '0s'");
  }

  @Test
  void givenAWatchWindowLongerThanADay_whenLoaded_itShouldNameTheValueTheRangeAndItsLine() throws Exception {
    append("watch_window: 25h\n");

    assertThat(problems())
        .containsExactly(dev + ":12: watch_window of environment dev must be from 0s to 24h, not '25h'");
  }

  @Test
  void givenAWatchWindowOfMoreReadingsThanAHistoryHolds_whenLoaded_itShouldAskForALongerInterval()
      throws Exception {
    append("watch_window: 24h\nwatch_interval: 1s\n");

    assertThat(problems())
        .containsExactly(dev + ":12: watch_window 24h read every 1s of environment dev takes 86400 readings, at most"
            + " 2000 are allowed: lengthen watch_interval or shorten watch_window");
  }

  @Test
  void givenTheLongestWatchWindowReadEveryMinute_whenLoaded_itShouldReadIt() throws Exception {
    append("watch_window: 24h\nwatch_interval: 1m\n");

    assertThat(load().get(0).watch().duration()).isEqualTo(Duration.ofHours(24));
  }

  private void append(String yaml) throws IOException {
    Files.writeString(dev, Files.readString(dev) + yaml);
  }

  private List<EnvironmentDefinition> load() throws ReleaseDefinitionException {
    return new ReleaseDefinitionLoader().loadEnvironments(environments);
  }

  private List<String> problems() {
    return assertThatExceptionOfType(ReleaseDefinitionException.class)
        .isThrownBy(this::load)
        .actual()
        .renderedProblems();
  }
}
