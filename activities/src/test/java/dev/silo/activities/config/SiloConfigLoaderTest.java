package dev.silo.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.Healthcheck;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.fly.FlyMachineConfig;
import dev.silo.workflows.silo.SiloNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the shipped example and checks what the workflow will get from it. */
class SiloConfigLoaderTest {

  @TempDir Path configRoot;

  private ExampleSilo example;

  @BeforeEach
  void copyExample() throws Exception {
    example = ExampleSilo.copyTo(configRoot);
  }

  @Test
  void givenTheExample_whenLoaded_itShouldNameTheSiloAndItsComposeFile() throws Exception {
    SiloConfig config = example.load();

    assertThat(config.client()).isEqualTo("acme");
    assertThat(config.app()).isEqualTo("crm");
    assertThat(config.directory())
        .isEqualTo(example.directory().toAbsolutePath().normalize().toString());
    assertThat(config.composeFile()).isEqualTo("docker-compose.silo-acme-crm.yml");
  }

  @Test
  void givenTheExample_whenLoaded_itShouldReturnTheSevenServicesInFileOrder() throws Exception {
    SiloConfig config = example.load();

    assertThat(config.services())
        .extracting(ComposeService::name, ComposeService::image)
        .containsExactly(
            tuple("postgres", "supabase/postgres:15.8.1.060"),
            tuple("rest-api", "postgrest/postgrest:v12.2.12"),
            tuple("auth", "supabase/gotrue:v2.177.0"),
            tuple("kong", "kong:2.8.1"),
            tuple("storage", "supabase/storage-api:v1.25.7"),
            tuple("studio", "supabase/studio:2025.06.30-sha-6f5982d"),
            tuple("worker-queue", "ghcr.io/somtech/silo-worker-queue:1.4.0"));
  }

  @Test
  void givenTheExample_whenLoaded_itShouldKeepEachDependencyWithItsCondition() throws Exception {
    Map<String, ComposeService> services = byName(example.load());

    for (String service : List.of("rest-api", "auth", "worker-queue")) {
      assertThat(services.get(service).dependsOn())
          .as(service)
          .containsExactly(entry("postgres", ComposeService.SERVICE_HEALTHY));
    }
    assertThat(services.get("storage").dependsOn())
        .containsExactly(
            entry("postgres", ComposeService.SERVICE_HEALTHY),
            entry("rest-api", "service_started"));
    assertThat(services.get("kong").dependsOn())
        .containsExactly(
            entry("rest-api", "service_started"),
            entry("auth", "service_started"),
            entry("storage", "service_started"));
    assertThat(services.get("studio").dependsOn())
        .containsExactly(entry("kong", ComposeService.SERVICE_HEALTHY));
    assertThat(services.get("postgres").dependsOn()).isEmpty();
  }

  @Test
  void givenTheExample_whenLoaded_itShouldParseHealthchecksWithComposeDefaults() throws Exception {
    Map<String, ComposeService> services = byName(example.load());

    assertThat(services.get("postgres").healthcheck())
        .isEqualTo(
            new Healthcheck(
                List.of("CMD", "pg_isready", "-U", "postgres", "-h", "localhost"),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                10,
                Duration.ofSeconds(90)));
    assertThat(services.get("storage").healthcheck().test())
        .containsExactly(
            "CMD-SHELL",
            "wget --no-verbose --tries=1 --spider http://localhost:5000/status || exit 1");
    assertThat(services.get("kong").healthcheck().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(services.get("auth").healthcheck().startPeriod()).isEqualTo(Duration.ZERO);
    assertThat(services.get("rest-api").healthcheck()).isNull();
  }

  @Test
  void givenAnEnvFile_whenLoaded_itShouldMergeItUnderTheEnvironment() throws Exception {
    ComposeService worker = byName(example.load()).get("worker-queue");

    assertThat(worker.environment())
        .containsExactly(
            entry("QUEUE_POLL_INTERVAL_MS", "500"),
            entry("QUEUE_MAX_ATTEMPTS", "5"),
            entry("LOG_LEVEL", "debug"),
            entry(
                "DATABASE_URL",
                "postgres://postgres:dev-only-postgres-password@postgres:5432/postgres"));
  }

  @Test
  void givenScalarsOfEveryYamlType_whenLoaded_itShouldKeepThemAsWritten() throws Exception {
    Map<String, ComposeService> services = byName(example.load());

    assertThat(services.get("postgres").environment()).containsEntry("POSTGRES_PORT", "5432");
    assertThat(services.get("kong").environment()).containsEntry("KONG_DATABASE", "off");
    assertThat(services.get("worker-queue").user()).isEqualTo("1000:1000");
    assertThat(services.get("worker-queue").restart()).isEqualTo("on-failure:5");
    assertThat(services.get("worker-queue").labels())
        .containsExactly(entry("dev.silo.client", "acme"), entry("dev.silo.app", "crm"));
  }

  @Test
  void givenCommandsAsStringsAndLists_whenLoaded_itShouldSplitThemIntoArguments() throws Exception {
    Map<String, ComposeService> services = byName(example.load());

    assertThat(services.get("worker-queue").command())
        .containsExactly("node", "dist/worker.js", "--queue", "crm default", "--concurrency", "4");
    assertThat(services.get("rest-api").command()).containsExactly("postgrest");
    assertThat(services.get("postgres").command()).startsWith("postgres", "-c").hasSize(5);
    assertThat(services.get("kong").command()).isEmpty();
    assertThat(services.get("worker-queue").workingDir()).isEqualTo("/app");
  }

  @Test
  void givenBindAndNamedVolumes_whenLoaded_itShouldResolveOnlyBindSources() throws Exception {
    Map<String, ComposeService> services = byName(example.load());

    Path kongConfig = example.file("volumes/api/kong.yml").toAbsolutePath().normalize();
    assertThat(services.get("kong").volumes())
        .containsExactly(kongConfig + ":/home/kong/kong.yml:ro");
    assertThat(services.get("postgres").volumes())
        .containsExactly("db-data:/var/lib/postgresql/data");
    assertThat(services.get("kong").ports()).containsExactly("8000:8000");
  }

  @Test
  void givenTheExample_whenLoaded_itShouldReturnTheSixFlyAppsInFlyServicesOrder() throws Exception {
    SiloConfig config = example.load();

    assertThat(config.flyApps()).extracting(FlyAppSpec::service).isEqualTo(SiloNames.FLY_SERVICES);
    assertThat(config.flyApps())
        .extracting(FlyAppSpec::appName)
        .containsExactly(
            "devenv-acme-crm-pg",
            "devenv-acme-crm-rest",
            "devenv-acme-crm-auth",
            "devenv-acme-crm-kong",
            "devenv-acme-crm-storage",
            "devenv-acme-crm-studio");
    assertThat(config.flyApps()).extracting(FlyAppSpec::primaryRegion).containsOnly("yul");
    FlyAppSpec rest = config.flyApps().get(1);
    assertThat(rest.configFile()).isEqualTo("fly/rest.toml");
    assertThat(rest.image()).isEqualTo("postgrest/postgrest:v12.2.12");
    assertThat(rest.env())
        .containsExactly(
            entry("PGRST_DB_SCHEMAS", "public,storage,graphql_public,crm"),
            entry("PGRST_DB_ANON_ROLE", "anon"),
            entry("PGRST_SERVER_PORT", "3000"));
  }

  @Test
  void givenAFlyFile_whenLoaded_itShouldMapItToATypedMachineConfigAndKeepNoRawDocument() throws Exception {
    FlyAppSpec pg = example.load().flyApps().get(0);

    assertThat(pg.document()).isNull();
    assertThat(pg.machine()).isEqualTo(new FlyMachineConfig(
        "supabase/postgres:15.8.1.060",
        pg.env(),
        new FlyMachineConfig.Guest("shared", 1, 1024),
        List.of(new FlyMachineConfig.Service("tcp", 5432, false, true, 1,
            List.of(new FlyMachineConfig.Port(5432, null, null, List.of(), null, null, null, null)),
            null,
            List.of(new FlyMachineConfig.Check("tcp", null, "15s", "2s", "30s", null, null, null, null, null,
                List.of())))),
        Map.of(),
        null));
  }

  @Test
  void givenATomlDate_whenLoaded_itShouldLoadWithoutAProblem() throws Exception {
    example.replace("fly/studio.toml", "[build]", "released = 2025-06-30T12:00:00Z\n\n[build]");

    FlyAppSpec studio = example.load().flyApps().get(5);

    assertThat(studio.machine().image()).isEqualTo(studio.image());
  }

  @Test
  void givenTheExample_whenLoaded_itShouldKeepNetlifyVariablesInFileOrder() throws Exception {
    SiloConfig config = example.load();

    assertThat(config.netlifyEnv())
        .containsExactly(
            entry("VITE_SUPABASE_URL", "filled-by-silo-deployer"),
            entry("VITE_SUPABASE_ANON_KEY", "filled-by-silo-deployer"),
            entry("VITE_APP_ENV", "development"),
            entry("VITE_API_URL", "filled-by-silo-deployer"));
  }

  @Test
  void givenMigrations_whenLoaded_itShouldSortThemByVersionWithTheirHashAndSize() throws Exception {
    example.write(
        "supabase/migrations/20250101000000_create_crm_schema.sql", "create schema crm;\n");

    List<MigrationFile> migrations = example.load().migrations();

    assertThat(migrations)
        .extracting(MigrationFile::version, MigrationFile::name)
        .containsExactly(
            tuple("20250101000000", "create_crm_schema"),
            tuple("20250115090000", "create_crm_contacts"),
            tuple("20250115091500", "contacts_rls"));
    assertThat(migrations.get(0).fileName()).isEqualTo("20250101000000_create_crm_schema.sql");
    assertThat(migrations.get(0).sql()).as("the content stays on the worker").isNull();
    assertThat(migrations.get(0).size()).isEqualTo("create schema crm;\n".length());
    assertThat(migrations.get(0).sha256()).isEqualTo(FileDigest.sha256("create schema crm;\n".getBytes()));
  }

  @Test
  void givenNoMigrationsDirectory_whenLoaded_itShouldReturnNoMigrations() throws Exception {
    example
        .delete("supabase/migrations/20250115090000_create_crm_contacts.sql")
        .delete("supabase/migrations/20250115091500_contacts_rls.sql")
        .delete("supabase/migrations")
        .delete("supabase");

    assertThat(example.load().migrations()).isEmpty();
  }

  @Test
  void givenAHealthcheckThatIsDisabledOrNone_whenLoaded_itShouldHaveNoHealthcheck()
      throws Exception {
    example
        .replace(
            ExampleSilo.COMPOSE_FILE,
            "      test: [\"CMD\", \"kong\", \"health\"]\n",
            "      test: [\"NONE\"]\n")
        .replace(
            ExampleSilo.COMPOSE_FILE,
            "      test: [\"CMD\", \"wget\", \"--no-verbose\"",
            "      disable: true\n      test: [\"CMD\", \"wget\", \"--no-verbose\"");

    Map<String, ComposeService> services = byName(example.load());

    assertThat(services.get("kong").healthcheck()).isNull();
    assertThat(services.get("auth").healthcheck()).isNull();
  }

  @Test
  void givenTheListForms_whenLoaded_itShouldReadThemLikeTheMappingForms() throws Exception {
    example
        .replace(
            ExampleSilo.COMPOSE_FILE,
            "      DATABASE_URL:"
                + " postgres://postgres:dev-only-postgres-password@postgres:5432/postgres\n"
                + "      LOG_LEVEL: debug\n",
            "      - DATABASE_URL=postgres://postgres@postgres:5432/postgres?sslmode=disable\n"
                + "      - QUEUE_MAX_ATTEMPTS=7\n")
        .replace(
            ExampleSilo.COMPOSE_FILE,
            "      dev.silo.client: acme\n      dev.silo.app: crm\n",
            "      - dev.silo.client=acme\n      - dev.silo.tier\n"
                + "    networks:\n      - default\n");

    ComposeService worker = byName(example.load()).get("worker-queue");

    assertThat(worker.environment())
        .containsExactly(
            entry("QUEUE_POLL_INTERVAL_MS", "500"),
            entry("QUEUE_MAX_ATTEMPTS", "7"),
            entry("LOG_LEVEL", "info"),
            entry("DATABASE_URL", "postgres://postgres@postgres:5432/postgres?sslmode=disable"));
    assertThat(worker.labels())
        .containsExactly(entry("dev.silo.client", "acme"), entry("dev.silo.tier", ""));
    assertThat(worker.networks()).containsExactly("default");
  }

  @Test
  void givenTheExample_whenLoaded_itShouldNameTheDockerTaskQueueOfSiloYml() throws Exception {
    assertThat(example.load().dockerTaskQueue()).isEqualTo("silo-docker");
  }

  @Test
  void givenASiloYmlNamingAnEngineHost_whenLoaded_itShouldReturnThatQueue() throws Exception {
    example.write("silo.yml", "# engine B hosts this silo\ndocker_task_queue: engine-b\n");

    assertThat(example.load().dockerTaskQueue()).isEqualTo("engine-b");
  }

  @Test
  void givenNoSiloYml_whenLoaded_itShouldNameNoDockerTaskQueue() throws Exception {
    example.delete("silo.yml");

    assertThat(example.load().dockerTaskQueue()).isNull();
  }

  @Test
  void givenASiloYmlAdmittingUnsignedDecisions_whenLoaded_itShouldSaySo() throws Exception {
    example.write("silo.yml", "allow_unsigned_decisions: true\n");

    SiloConfig config = example.load();

    assertThat(config.allowUnsignedDecisions()).isTrue();
    assertThat(config.dockerTaskQueue()).isNull();
  }

  @Test
  void givenNoSiloYml_whenLoaded_itShouldRefuseUnsignedDecisions() throws Exception {
    example.delete("silo.yml");

    assertThat(example.load().allowUnsignedDecisions()).isFalse();
  }

  private static Map<String, ComposeService> byName(SiloConfig config) {
    return config.services().stream()
        .collect(Collectors.toMap(ComposeService::name, Function.identity()));
  }
}
