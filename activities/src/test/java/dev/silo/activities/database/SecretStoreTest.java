package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.database.EnsureSecretsRequest;
import dev.silo.workflows.database.SiloSecrets;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretStoreTest {

  @TempDir Path temp;

  @Test
  void givenANewSilo_whenSecretsAreEnsured_itShouldGenerateStrongUrlSafeSecrets() {
    SiloSecrets secrets = activities(store()).ensureSecrets(new EnsureSecretsRequest("acme-crm"));

    assertThat(secrets.databasePassword()).hasSize(32).matches("[A-Za-z0-9_-]+");
    assertThat(secrets.jwtSecret()).hasSize(64).matches("[A-Za-z0-9_-]+");
    assertThat(secrets.toString()).doesNotContain(secrets.databasePassword(), secrets.jwtSecret());
  }

  @Test
  void givenStoredSecrets_whenEnsuredThroughAnotherStoreInstance_itShouldReturnTheSameSecrets() {
    SiloSecrets first = activities(store()).ensureSecrets(new EnsureSecretsRequest("acme-crm"));

    SiloSecrets second = activities(store()).ensureSecrets(new EnsureSecretsRequest("acme-crm"));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void givenTwoSilos_whenSecretsAreEnsured_itShouldGiveEachItsOwnSecrets() {
    SecretStore store = store();

    assertThat(store.ensure("acme-crm")).isNotEqualTo(store.ensure("acme-billing"));
  }

  @Test
  void givenStoredSecrets_whenTheFilesAreInspected_itShouldBeReadableByTheOwnerOnly() throws Exception {
    SecretStore store = store();
    store.ensure("acme-crm");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(store.directory().resolve("acme-crm.json"))))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(store.directory())) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder("acme-crm.json", ".lock");
    }
  }

  @Test
  void givenManyCallsAtOnceFromTwoStores_whenSecretsAreEnsured_itShouldGenerateThemOnce() throws Exception {
    List<SecretStore> stores = List.of(store(), store());
    ExecutorService executor = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<SiloSecrets>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        SecretStore store = stores.get(i % 2);
        calls.add(executor.submit(() -> {
          start.await();
          return store.ensure("acme-crm");
        }));
      }
      start.countDown();
      List<SiloSecrets> results = new ArrayList<>();
      for (Future<SiloSecrets> call : calls) {
        results.add(call.get());
      }

      assertThat(results).hasSize(16).containsOnly(results.get(0));
    } finally {
      executor.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc", "acme/../../x", "Acme-CRM", "acme--crm", "-acme", "acme-crm.json", ""})
  void givenASiloIdThatIsNotClientDashApp_whenSecretsAreEnsured_itShouldRefuseItAndWriteNothing(String siloId) {
    SecretStore store = store();

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> store.ensure(siloId));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(store.directory()).doesNotExist();
  }

  @Test
  void givenACorruptSecretFile_whenSecretsAreEnsured_itShouldFailRatherThanReplaceIt() throws Exception {
    SecretStore store = store();
    store.ensure("acme-crm");
    Path file = store.directory().resolve("acme-crm.json");
    Files.writeString(file, "{ not json");

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> store.ensure("acme-crm"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(file).hasContent("{ not json");
  }

  private SecretStore store() {
    return new SecretStore(temp.resolve("state/secrets"), Clock.systemUTC());
  }

  private static DatabaseActivitiesImpl activities(SecretStore store) {
    return new DatabaseActivitiesImpl(store, new PostgresClientPrograms(Map.of()), Clock.systemUTC());
  }
}
