package dev.silo.activities.database;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.SiloKeys;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Mints a silo's API keys as self-hosted Supabase does: compact HS256 JWTs signed with the JWT
 * secret's UTF-8 bytes (what PostgREST, GoTrue and Kong verify against), claims {@code role},
 * {@code iss = "supabase"}, {@code iat} and {@code exp} in seconds.
 */
final class ApiKeyMinter {

  /** PostgREST refuses a shorter JWT secret, so keys signed with one would never be accepted. */
  static final int MINIMUM_SECRET_LENGTH = 32;

  static final String ANON_ROLE = "anon";
  static final String SERVICE_ROLE = "service_role";
  static final String ISSUER = "supabase";

  private final Clock clock;

  ApiKeyMinter(Clock clock) {
    this.clock = clock;
  }

  /**
   * @throws ApplicationFailure {@code INVALID_REQUEST} (not retried) for a secret shorter than
   *     {@value #MINIMUM_SECRET_LENGTH} characters or a validity that is not positive
   */
  SiloKeys mint(String jwtSecret, Duration validity) {
    return mint(jwtSecret, clock.instant().getEpochSecond(), validity);
  }

  /**
   * Mints the keys as issued at {@code issuedAt} (epoch seconds): the same secret, time and
   * validity always give the same keys.
   *
   * @throws ApplicationFailure as {@link #mint(String, Duration)}
   */
  SiloKeys mint(String jwtSecret, long issuedAt, Duration validity) {
    if (jwtSecret == null || jwtSecret.length() < MINIMUM_SECRET_LENGTH) {
      throw invalid("The JWT secret must have at least " + MINIMUM_SECRET_LENGTH + " characters");
    }
    requireValid(validity);
    // HMAC256 of a text secret signs with its UTF-8 bytes, as PostgREST, GoTrue and Kong verify.
    Algorithm algorithm = Algorithm.HMAC256(jwtSecret);
    long expiresAt = issuedAt + validity.toSeconds();
    return new SiloKeys(
        token(algorithm, ANON_ROLE, issuedAt, expiresAt),
        token(algorithm, SERVICE_ROLE, issuedAt, expiresAt));
  }

  /**
   * @throws ApplicationFailure {@code INVALID_REQUEST} (not retried) for a validity that is not
   *     positive
   */
  void requireValid(Duration validity) {
    if (validity == null || validity.toSeconds() <= 0) {
      throw invalid("The keys' validity must be at least one second, not " + validity);
    }
  }

  /** The header is {@code {"alg":"HS256","typ":"JWT"}}; the claims keep this order. */
  private static String token(Algorithm algorithm, String role, long issuedAt, long expiresAt) {
    return JWT.create()
        .withClaim("role", role)
        .withIssuer(ISSUER)
        .withIssuedAt(Instant.ofEpochSecond(issuedAt))
        .withExpiresAt(Instant.ofEpochSecond(expiresAt))
        .sign(algorithm);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
