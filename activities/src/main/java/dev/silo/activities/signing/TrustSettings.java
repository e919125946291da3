package dev.silo.activities.signing;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The worker's approval trust settings, read from {@value TrustActivitiesImpl#ALLOWED_SIGNERS_VARIABLE}.
 *
 * @param allowedSigners the allowed-signers file, in git's format; empty when decisions are not
 *     signed
 */
public record TrustSettings(Optional<Path> allowedSigners) {

  /** No allowed-signers file: decisions are not verified. */
  public static final TrustSettings NONE = new TrustSettings(Optional.empty());
}
