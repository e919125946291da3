package dev.silo.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2025-11-22T12:00:00Z");

  @Test
  void givenRetryAfterInSeconds_whenRetryDelay_itShouldWaitThatLong() {
    assertThat(RetryAfter.delay("30", NOW)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.delay(" 0 ", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void givenRetryAfterAsHttpDate_whenRetryDelay_itShouldWaitUntilThen() {
    assertThat(RetryAfter.delay("Sat, 22 Nov 2025 12:01:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
    assertThat(RetryAfter.delay("Sat, 22 Nov 2025 11:59:00 GMT", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void givenNoOrUnreadableRetryAfter_whenRetryDelay_itShouldLeaveItToTheRetryPolicy() {
    assertThat(RetryAfter.delay(null, NOW)).isNull();
    assertThat(RetryAfter.delay("soon", NOW)).isNull();
  }
}
