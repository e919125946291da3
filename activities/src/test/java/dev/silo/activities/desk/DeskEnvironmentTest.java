package dev.silo.activities.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.silo.activities.settings.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeskEnvironmentTest {

  private static final String KEY = "sk-desk-secret-value";

  @Test
  void givenNoUrl_whenReadFromTheEnvironment_itShouldConfigureNoDesk() {
    // Without its URL the worker serves no desk activities: EnvironmentActivities says so.
    assertThat(WorkerSettings.fromEnvironment(Map.of("SOMTECH_DESK_API_KEY", KEY)).desk()).isEmpty();
  }

  @Test
  void givenNoKey_whenBuildingFromTheEnvironment_itShouldNameTheMissingVariable() {
    assertThatThrownBy(
            () ->
                fromEnvironment(
                    Map.of("SOMTECH_DESK_URL", "https://desk.example/mcp")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SOMTECH_DESK_API_KEY is not set");
  }

  @Test
  void givenAUrlThatIsNotHttp_whenBuildingFromTheEnvironment_itShouldRefuseItWithoutTheKey() {
    Throwable refused =
        catchThrowable(
            () ->
                fromEnvironment(
                    Map.of(
                        "SOMTECH_DESK_URL", "ftp://desk.example/mcp",
                        "SOMTECH_DESK_API_KEY", KEY)));

    assertThat(refused).isInstanceOf(IllegalArgumentException.class);
    assertThat(refused.getMessage()).doesNotContain(KEY);
  }

  @Test
  void givenRetryAfterInSecondsOrAsADate_whenParsed_itShouldGiveTheWait() {
    Clock clock = Clock.fixed(Instant.parse("2025-06-01T10:00:00Z"), ZoneOffset.UTC);

    assertThat(DeskHttpStatusException.retryAfter("120", clock)).isEqualTo(Duration.ofSeconds(120));
    assertThat(DeskHttpStatusException.retryAfter("Sun, 01 Jun 2025 10:00:30 GMT", clock))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(DeskHttpStatusException.retryAfter("Sun, 01 Jun 2025 09:00:00 GMT", clock))
        .isZero();
    assertThat(DeskHttpStatusException.retryAfter("soon", clock)).isNull();
  }

  /** The activities as the worker builds them from this environment. */
  private static DeskActivitiesImpl fromEnvironment(Map<String, String> environment) {
    return new DeskActivitiesImpl(WorkerSettings.fromEnvironment(environment).desk().orElseThrow());
  }
}
