package dev.silo.workflows.signing;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The keys the worker trusts. A run asks for them before it checks a start or a decision, so that
 * the keys it verified against are in its history and replay the same.
 */
@ActivityInterface
public interface TrustActivities {

  /**
   * The worker's allowed-signers file ({@code SILO_ALLOWED_SIGNERS}) as it read it at start;
   * {@link AllowedSigners#none()} when the worker has none. Read-only.
   */
  @ActivityMethod
  AllowedSigners allowedSigners();
}
