package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.EnsureSecretsRequest;
import dev.silo.workflows.database.MintSiloKeysRequest;
import dev.silo.workflows.database.PublicSiloKeys;
import dev.silo.workflows.database.SecretRef;
import dev.silo.workflows.database.SecretsReady;
import dev.silo.workflows.database.SiloSecrets;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database activities a run calls with secret references: what they answer holds no secret,
 * and what they resolve is what the worker's secret store keeps.
 */
class SecretsByReferenceTest {

  private static final String SILO = "acme-crm";
  private static final Instant NOW = Instant.parse("2026-01-15T09:00:00Z");
  private static final Duration VALIDITY = Duration.ofDays(5 * 365);

  @TempDir Path temp;

  private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  @Test
  void givenANewSilo_whenItsSecretsArePrepared_itShouldAnswerAFingerprintAndNoSecret() throws Exception {
    SecretStore store = new SecretStore(temp, clock);

    SecretsReady ready = activities(store).prepareSecrets(new EnsureSecretsRequest(SILO));

    SiloSecrets stored = store.ensure(SILO);
    String answer = new ObjectMapper().writeValueAsString(ready);
    assertThat(answer).doesNotContain(stored.databasePassword(), stored.jwtSecret());
    assertThat(ready.siloId()).isEqualTo(SILO);
    assertThat(ready.fingerprint()).matches("[0-9a-f]{16}");
    assertThat(activities(store).prepareSecrets(new EnsureSecretsRequest(SILO))).isEqualTo(ready);
  }

  @Test
  void givenPreparedSecrets_whenReferencesAreResolved_itShouldAnswerTheStoredValues() {
    SecretStore store = new SecretStore(temp, clock);
    SiloSecrets stored = store.ensure(SILO);

    assertThat(store.resolve(SecretRef.databasePassword(SILO))).isEqualTo(stored.databasePassword());
    assertThat(store.resolve(SecretRef.jwtSecret(SILO))).isEqualTo(stored.jwtSecret());
  }

  @Test
  void givenASiloWithoutSecrets_whenAReferenceIsResolved_itShouldFailNotFoundAndGenerateNothing() {
    SecretStore store = new SecretStore(temp, clock);

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> store.resolve(SecretRef.databasePassword(SILO)));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("Silo acme-crm has no secrets in the secret store");
    assertThat(temp.resolve(SILO + ".json")).doesNotExist();
  }

  @Test
  void givenAReferenceToASecretTheStoreDoesNotKeep_whenResolved_itShouldRefuseIt() {
    SecretStore store = new SecretStore(temp, clock);
    store.ensure(SILO);

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> store.resolve(new SecretRef(SILO, "createdAt")));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
  }

  @Test
  void givenPreparedSecrets_whenKeysAreMintedByReference_itShouldAnswerOnlyTheAnonKeyAndKeepTheServiceRoleKey() {
    SecretStore store = new SecretStore(temp, clock);
    SiloSecrets stored = store.ensure(SILO);

    PublicSiloKeys keys = activities(store).mintSiloKeys(new MintSiloKeysRequest(SILO, VALIDITY));

    DecodedJWT anon = verify(keys.anonKey(), stored.jwtSecret());
    assertThat(anon.getClaim("role").asString()).isEqualTo("anon");
    assertThat(anon.getClaim("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    DecodedJWT serviceRole = verify(store.resolve(new SecretRef(SILO, SecretRef.SERVICE_ROLE_KEY)), stored.jwtSecret());
    assertThat(serviceRole.getClaim("role").asString()).isEqualTo("service_role");
    assertThat(serviceRole.getClaim("exp").asLong()).isEqualTo(NOW.getEpochSecond() + VALIDITY.toSeconds());
  }

  @Test
  void givenMintedKeys_whenMintedAgainLater_itShouldAnswerTheSameKeysWhileHalfTheirValidityIsLeft() {
    SecretStore store = new SecretStore(temp, clock);
    store.ensure(SILO);
    PublicSiloKeys first = activities(store).mintSiloKeys(new MintSiloKeysRequest(SILO, VALIDITY));
    String serviceRole = store.resolve(new SecretRef(SILO, SecretRef.SERVICE_ROLE_KEY));

    now.set(NOW.plus(Duration.ofDays(365)));
    PublicSiloKeys retried = activities(new SecretStore(temp, clock)).mintSiloKeys(new MintSiloKeysRequest(SILO, VALIDITY));

    assertThat(retried).isEqualTo(first);
    assertThat(store.resolve(new SecretRef(SILO, SecretRef.SERVICE_ROLE_KEY))).isEqualTo(serviceRole);

    now.set(NOW.plus(Duration.ofDays(3 * 365)));
    PublicSiloKeys renewed = activities(store).mintSiloKeys(new MintSiloKeysRequest(SILO, VALIDITY));

    assertThat(renewed).isNotEqualTo(first);
    assertThat(JWT.decode(renewed.anonKey()).getClaim("iat").asLong()).isEqualTo(now.get().getEpochSecond());
    assertThat(store.resolve(new SecretRef(SILO, SecretRef.SERVICE_ROLE_KEY))).isNotEqualTo(serviceRole);
  }

  @Test
  void givenASiloWithoutSecrets_whenKeysAreMintedByReference_itShouldFailNotFound() {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> activities(new SecretStore(temp, clock)).mintSiloKeys(new MintSiloKeysRequest(SILO, VALIDITY)));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  private DatabaseActivitiesImpl activities(SecretStore store) {
    return new DatabaseActivitiesImpl(store, new PostgresClientPrograms(Map.of()), clock);
  }

  private static DecodedJWT verify(String token, String secret) {
    return JWT.require(Algorithm.HMAC256(secret)).withIssuer("supabase").build().verify(token);
  }
}
