package dev.silo.activities.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.SiloKeys;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

  private static final String HMAC = "HmacSHA256";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final ObjectMapper JSON = new ObjectMapper();

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
    long expiresAt = issuedAt + validity.toSeconds();
    return new SiloKeys(
        token(jwtSecret, ANON_ROLE, issuedAt, expiresAt),
        token(jwtSecret, SERVICE_ROLE, issuedAt, expiresAt));
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

  private static String token(String secret, String role, long issuedAt, long expiresAt) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "HS256");
    header.put("typ", "JWT");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("role", role);
    claims.put("iss", ISSUER);
    claims.put("iat", issuedAt);
    claims.put("exp", expiresAt);
    String signingInput = encode(header) + "." + encode(claims);
    return signingInput + "." + BASE64URL.encodeToString(sign(secret, signingInput));
  }

  private static String encode(Map<String, Object> json) {
    try {
      return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A map of strings and numbers is always JSON", e);
    }
  }

  private static byte[] sign(String secret, String signingInput) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("Every Java runtime provides " + HMAC, e);
    }
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
