package dev.silo.workflows;

import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * The retry policy every activity stub uses: exponential backoff, a bounded number of attempts, and
 * no retry of a failure an activity classified as final. Activities classify once, at the client
 * boundary; this is where the workflows honour it.
 */
public final class ActivityRetries {

  /** The {@link FailureType}s a retry cannot mend. */
  private static final String[] NEVER_RETRIED = {
    FailureType.INVALID_REQUEST.type(), FailureType.INVALID_CONFIG.type(), FailureType.NOT_FOUND.type(),
    FailureType.FORBIDDEN.type(), FailureType.CONFLICT.type(), FailureType.VENDOR_REJECTED.type(),
    FailureType.DEPLOY_FAILED.type()
  };

  private ActivityRetries() {}

  /** At most {@code attempts} attempts, the first retry after {@code initialInterval}, doubling. */
  public static RetryOptions retries(int attempts, Duration initialInterval) {
    return RetryOptions.newBuilder()
        .setMaximumAttempts(attempts)
        .setInitialInterval(initialInterval)
        .setBackoffCoefficient(2.0)
        .setDoNotRetry(NEVER_RETRIED)
        .build();
  }
}
