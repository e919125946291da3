package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.StateDirectory;
import dev.silo.activities.database.SecretStore;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.database.SecretRef;
import dev.silo.workflows.database.SiloSecrets;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyDeployment;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The silo's pg app deployed to the sandbox is a real PostgreSQL with Supabase's baseline, reached
 * with the credentials the worker holds, so the silo's migrations run against it as they would on
 * Fly.
 */
class FlyPostgresTest {

  private static final String ORG = FlyFixture.ORG;
  private static final String PG = "devenv-acme-crm-pg";

  /** What a Supabase migration typically does: a table, row-level security keyed on auth.uid(). */
  private static final String SUPABASE_STYLE_MIGRATION = """
      CREATE TABLE public.notes (id bigint PRIMARY KEY, owner uuid NOT NULL DEFAULT auth.uid(), body text);
      ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
      CREATE POLICY "own notes" ON public.notes FOR SELECT TO authenticated USING (owner = auth.uid());
      GRANT SELECT ON public.notes TO authenticated;
      INSERT INTO public.notes VALUES (1, '11111111-1111-1111-1111-111111111111', 'mine'),
                                      (2, '22222222-2222-2222-2222-222222222222', 'theirs');
      """;

  private FlyFixture fly;
  private FlyActivities activities;
  private FlyAppSpec pg;

  @BeforeEach
  void start() throws IOException {
    fly = FlyFixture.start();
    activities = fly.activities();
    pg = FlyFixture.exampleApps().get("pg");
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, PG));
  }

  @AfterEach
  void stop() {
    try {
      assertThat(fly.violations()).isEmpty();
    } finally {
      fly.close();
    }
  }

  @Test
  void givenThePgApp_whenDeployed_theMigrationsTargetShouldBeReachableWithTheWorkersPassword() throws SQLException {
    FlyDeployment deployment = activities.deployApp(new DeployFlyAppRequest(PG, pg, secrets("pw-one")));

    int port = deployment.publicPorts().get("5432");
    assertThat(port).isEqualTo(fly.sandbox.postgresPort(PG).orElseThrow());
    assertThat(deployment.hostname()).isEqualTo(PG + ".fly.dev");
    try (Connection connection = connect(port, "pw-one"); Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT 1")).isEqualTo("1");
      assertThat(single(statement, "SELECT to_regprocedure('auth.uid()') IS NOT NULL")).isEqualTo("t");
      assertThat(single(statement, "SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role'")).isEqualTo("t");

      statement.execute(SUPABASE_STYLE_MIGRATION);
      statement.execute("SET ROLE authenticated");
      statement.execute("SELECT set_config('request.jwt.claim.sub', '11111111-1111-1111-1111-111111111111', false)");
      assertThat(single(statement, "SELECT string_agg(body, ',') FROM public.notes")).isEqualTo("mine");
    }
  }

  @Test
  void givenADeployedPgApp_whenThePasswordRotates_itShouldUpdateTheMachineAndOnlyTheNewPasswordShouldWork()
      throws SQLException {
    FlyDeployment first = activities.deployApp(new DeployFlyAppRequest(PG, pg, secrets("pw-one")));

    FlyDeployment second = activities.deployApp(new DeployFlyAppRequest(PG, pg, secrets("pw-two")));

    assertThat(second.machineId()).isEqualTo(first.machineId());
    assertThat(second.publicPorts()).isEqualTo(first.publicPorts());
    int port = second.publicPorts().get("5432");
    try (Connection connection = connect(port, "pw-two"); Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT current_user")).isEqualTo("postgres");
    }
    assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(port, "pw-one").close());
  }

  @Test
  void givenTheSilosStoredSecrets_whenThePgAppIsDeployedByReference_itShouldRunWithTheStoredPassword(@TempDir Path state)
      throws SQLException {
    Map<String, String> environment = new HashMap<>(FlyFixture.environment(fly.sandbox, FlyFixture.TOKEN));
    environment.put(StateDirectory.VARIABLE, state.toString());
    SiloSecrets stored = SecretStore.under(state, Clock.systemUTC()).ensure("acme-crm");
    FlyActivitiesImpl byReference = FlyFixture.fromEnvironment(environment, FlyFixture.FAST);

    FlyDeployment deployment = byReference.deployApp(new DeployFlyAppRequest(PG, pg, Map.of(), Map.of(
        "POSTGRES_PASSWORD", SecretRef.databasePassword("acme-crm"), "JWT_SECRET", SecretRef.jwtSecret("acme-crm"))));

    int port = deployment.publicPorts().get("5432");
    try (Connection connection = connect(port, stored.databasePassword());
        Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT current_user")).isEqualTo("postgres");
    }
    assertThat(fly.sandbox.machineEnvironment(PG)).containsEntry("JWT_SECRET", stored.jwtSecret());
  }

  @Test
  void givenASiloWithoutStoredSecrets_whenAnAppIsDeployedByReference_itShouldFailNotFoundAndCreateNoMachine(
      @TempDir Path state) {
    Map<String, String> environment = new HashMap<>(FlyFixture.environment(fly.sandbox, FlyFixture.TOKEN));
    environment.put(StateDirectory.VARIABLE, state.toString());
    FlyActivitiesImpl byReference = FlyFixture.fromEnvironment(environment, FlyFixture.FAST);

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, () -> byReference.deployApp(
        new DeployFlyAppRequest(PG, pg, Map.of(), Map.of("POSTGRES_PASSWORD", SecretRef.databasePassword("acme-crm")))));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(fly.sandbox.postgresPort(PG)).isEmpty();
  }

  @Test
  void givenADeployedPgApp_whenDestroyed_itsPostgresShouldStop() {
    activities.deployApp(new DeployFlyAppRequest(PG, pg, secrets("pw-one")));

    activities.destroyApp(new DestroyFlyAppRequest(ORG, PG));

    assertThat(fly.sandbox.postgresPort(PG)).isEmpty();
  }

  private static Map<String, String> secrets(String password) {
    return Map.of("POSTGRES_PASSWORD", password, "JWT_SECRET", "super-secret-jwt-token-with-at-least-32-characters");
  }

  private static Connection connect(int port, String password) throws SQLException {
    Properties credentials = new Properties();
    credentials.setProperty("user", "postgres");
    credentials.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", credentials);
  }

  private static String single(Statement statement, String query) throws SQLException {
    try (ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getString(1);
    }
  }
}
