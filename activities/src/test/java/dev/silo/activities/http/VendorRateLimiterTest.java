package dev.silo.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VendorRateLimiterTest {

  /** The clock the limiter reads; a sleep moves it on, as time would. */
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<Duration> sleeps = new ArrayList<>();

  private VendorRateLimiter limiter(double perSecond, int burst, Duration maxWait) {
    return new VendorRateLimiter("Vendor", perSecond, burst, maxWait, nanos::get, duration -> {
      sleeps.add(duration);
      nanos.addAndGet(duration.toNanos());
    });
  }

  @Test
  void givenAFullBucket_whenABurstIsSent_itShouldGoAtOnceThenAtTheRate() {
    VendorRateLimiter limiter = limiter(2, 3, Duration.ofMinutes(1));

    for (int i = 0; i < 5; i++) {
      limiter.acquire();
    }

    assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
  }

  @Test
  void givenCallersArrivingAtOnce_whenTheyReserve_itShouldQueueThemInOrder() {
    VendorRateLimiter limiter = limiter(1, 1, Duration.ofMinutes(1));

    List<Duration> waits = List.of(limiter.reserve(), limiter.reserve(), limiter.reserve());

    assertThat(waits).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void givenAQuietWhile_whenRequestsResume_itShouldRefillNoMoreThanTheBurst() {
    VendorRateLimiter limiter = limiter(500 / 60.0, 450, Duration.ofMinutes(1));
    for (int i = 0; i < 450; i++) {
      limiter.acquire();
    }
    assertThat(sleeps).isEmpty();
    assertThat(limiter.isIdle()).isFalse();

    nanos.addAndGet(Duration.ofHours(1).toNanos());

    assertThat(limiter.isIdle()).isTrue();
    for (int i = 0; i < 451; i++) {
      limiter.acquire();
    }
    assertThat(sleeps).singleElement().satisfies(wait ->
        assertThat(wait).isBetween(Duration.ofMillis(119), Duration.ofMillis(121)));
  }

  @Test
  void givenAWaitLongerThanTheBound_whenAcquire_itShouldFailRetryablyAfterThatWaitAndTakeNothing() {
    VendorRateLimiter limiter = limiter(1, 2, Duration.ofSeconds(1));
    limiter.reserve();
    limiter.reserve();
    assertThat(limiter.reserve()).as("a third caller at once waits a second").isEqualTo(Duration.ofSeconds(1));

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, limiter::acquire);

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(2));
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(limiter.reserve()).as("the refused caller took no token").isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void givenAVendorBurst_whenClientBurst_itShouldKeepATenthAndAtLeastOneInHand() {
    assertThat(VendorRateLimiter.clientBurst(500)).isEqualTo(450);
    assertThat(VendorRateLimiter.clientBurst(10)).isEqualTo(9);
    assertThat(VendorRateLimiter.clientBurst(3)).isEqualTo(2);
    assertThat(VendorRateLimiter.clientBurst(1)).isEqualTo(1);
  }
}
