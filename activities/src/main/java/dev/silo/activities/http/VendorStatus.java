package dev.silo.activities.http;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * The one rule every vendor client classifies an HTTP answer by: a 4xx other than 408 and 429 is
 * the vendor refusing the request, never retried; anything else that failed is the vendor being
 * unavailable, retried, after its {@code Retry-After} when it gave one.
 */
public final class VendorStatus {

  private VendorStatus() {}

  /** Whether a failed answer with this status is worth retrying. */
  public static boolean isRetryable(int status) {
    return status == 408 || status == 429 || status >= 500 || status < 400;
  }

  /**
   * The failure for a failed answer.
   *
   * @param refused the message when the vendor refused the request
   * @param unavailable the message when the vendor was unavailable
   * @param nextRetryDelay the wait the vendor asked for, or null
   */
  public static ApplicationFailure failure(int status, String refused, String unavailable, Duration nextRetryDelay) {
    if (!isRetryable(status)) {
      return ApplicationFailure.newNonRetryableFailure(refused, FailureType.VENDOR_REJECTED.type());
    }
    ApplicationFailure.Builder failure = ApplicationFailure.newBuilder()
        .setType(FailureType.VENDOR_UNAVAILABLE.type())
        .setMessage(unavailable);
    if (nextRetryDelay != null) {
      failure.setNextRetryDelay(nextRetryDelay);
    }
    return failure.build();
  }
}
