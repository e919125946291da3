package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.MintKeysRequest;
import dev.silo.workflows.database.SiloKeys;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys are verified with an independent JWT library (auth0 java-jwt), as Supabase's services would. */
class MintKeysTest {

  private static final String SECRET = "a-silo-jwt-secret-of-at-least-32-characters-0123456789";
  private static final Instant NOW = Instant.parse("2026-01-15T09:00:00Z");
  private static final Duration VALIDITY = Duration.ofDays(5 * 365);

  @TempDir Path temp;

  private DatabaseActivitiesImpl activities;

  @BeforeEach
  void createActivities() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    activities = new DatabaseActivitiesImpl(new SecretStore(temp, clock), new PostgresClientPrograms(Map.of()), clock);
  }

  @Test
  void givenTheSilosSecret_whenKeysAreMinted_itShouldSignBothAsHs256JwtsWithSupabasesClaims() {
    SiloKeys keys = activities.mintKeys(new MintKeysRequest(SECRET, VALIDITY));

    DecodedJWT anon = verify(keys.anonKey(), SECRET);
    DecodedJWT serviceRole = verify(keys.serviceRoleKey(), SECRET);

    assertThat(anon.getClaim("role").asString()).isEqualTo("anon");
    assertThat(serviceRole.getClaim("role").asString()).isEqualTo("service_role");
    for (DecodedJWT key : new DecodedJWT[] {anon, serviceRole}) {
      assertThat(key.getAlgorithm()).isEqualTo("HS256");
      assertThat(key.getType()).isEqualTo("JWT");
      assertThat(key.getIssuer()).isEqualTo("supabase");
      assertThat(key.getClaim("iat").asLong()).isEqualTo(NOW.getEpochSecond());
      assertThat(key.getClaim("exp").asLong() - key.getClaim("iat").asLong())
          .isEqualTo(VALIDITY.toSeconds());
      assertThat(key.getClaims()).containsOnlyKeys("role", "iss", "iat", "exp");
    }
  }

  @Test
  void givenKeysFromOneSecret_whenVerifiedWithAnother_itShouldFailVerification() {
    SiloKeys keys = activities.mintKeys(new MintKeysRequest(SECRET, VALIDITY));

    assertThatThrownBy(() -> verify(keys.anonKey(), SECRET + "-other"))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> verify(keys.serviceRoleKey(), SECRET + "-other"))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void givenTheSecretAndTimeOfAnEarlierMint_whenKeysAreMinted_itShouldGiveTheKeysMintedThen() {
    // Minted before java-jwt signed the keys, by a hand-written HS256 signer: the same header, the
    // same claims in the same order and the same signature, so keys minted before and after verify
    // and compare alike.
    SiloKeys keys = activities.mintKeys(new MintKeysRequest(SECRET, VALIDITY));

    assertThat(keys.anonKey()).isEqualTo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        + ".eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIiwiaWF0IjoxNzY4NDY3NjAwLCJleHAiOjE5MjYxNDc2MDB9"
        + ".Y5SL4ozcN8vwdnxLvQ8c-imGl3duqqm9FIzaWDOCSkA");
    assertThat(keys.serviceRoleKey()).isEqualTo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        + ".eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UiLCJpYXQiOjE3Njg0Njc2MDAsImV4cCI6MTkyNjE0NzYwMH0"
        + ".xHaAmg3AjHBFrLBDY7dmClYzb6-wxk0ll01V1Sgsu2U");
  }

  @Test
  void givenAKeySignedWithAnotherSecret_whenVerifiedWithTheSilosSecret_itShouldFailVerification() {
    SiloKeys foreign = activities.mintKeys(new MintKeysRequest(SECRET + "-of-another-silo", VALIDITY));

    assertThatThrownBy(() -> verify(foreign.anonKey(), SECRET))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> verify(foreign.serviceRoleKey(), SECRET))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void givenTheSameClock_whenKeysAreMintedTwice_itShouldGiveTheSameKeys() {
    MintKeysRequest request = new MintKeysRequest(SECRET, VALIDITY);

    assertThat(activities.mintKeys(request)).isEqualTo(activities.mintKeys(request));
  }

  @Test
  void givenASecretShorterThan32Characters_whenKeysAreMinted_itShouldRefuseTheRequest() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.mintKeys(new MintKeysRequest("too-short", VALIDITY)));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).doesNotContain("too-short");
  }

  private static DecodedJWT verify(String token, String secret) {
    return JWT.require(Algorithm.HMAC256(secret)).withIssuer("supabase").build().verify(token);
  }
}
