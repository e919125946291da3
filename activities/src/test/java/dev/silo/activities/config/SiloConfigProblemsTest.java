package dev.silo.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.silo.SiloNames;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Breaks the shipped example one way per test and checks the problem a user reads. */
class SiloConfigProblemsTest {

  private static final String COMPOSE = ExampleSilo.COMPOSE_FILE;

  @TempDir Path configRoot;
  @TempDir Path outside;

  private ExampleSilo example;

  @BeforeEach
  void copyExample() throws Exception {
    example = ExampleSilo.copyTo(configRoot);
  }

  @Test
  void givenNoComposeFile_whenLoaded_itShouldReportItMissing() {
    example.delete(COMPOSE);

    assertThat(example.problems()).containsExactly(COMPOSE + ": file is missing");
  }

  @Test
  void givenNoFlyFileForAService_whenLoaded_itShouldReportThatFileMissing() {
    example.delete("fly/storage.toml");

    assertThat(example.problems()).containsExactly("fly/storage.toml: file is missing");
  }

  @Test
  void givenNoNetlifyFile_whenLoaded_itShouldReportItMissing() {
    example.delete("netlify.env.silo");

    assertThat(example.problems()).containsExactly("netlify.env.silo: file is missing");
  }

  @Test
  void givenNoSiloDirectory_whenLoaded_itShouldReportOneProblemOnly() throws Exception {
    Path elsewhere = Files.createDirectory(configRoot.resolve("other-root"));

    SiloConfigException failure =
        assertThatExceptionOfType(SiloConfigException.class)
            .isThrownBy(() -> new SiloConfigLoader().load(elsewhere, "acme", "crm"))
            .actual();

    assertThat(failure.renderedProblems())
        .containsExactly("acme-crm/: silo directory does not exist under the config root");
    assertThat(failure.getMessage())
        .isEqualTo("silo config acme-crm/ has 1 problem(s):\n"
            + "  - acme-crm/: silo directory does not exist under the config root");
  }

  @Test
  void givenNoConfigRoot_whenLoaded_itShouldReportTheSiloDirectoryMissingWithoutTheWorkersPath() {
    Path missing = configRoot.resolve("missing-root").toAbsolutePath().normalize();

    SiloConfigException failure =
        assertThatExceptionOfType(SiloConfigException.class)
            .isThrownBy(() -> new SiloConfigLoader().load(missing, "acme", "crm"))
            .actual();

    assertThat(failure.renderedProblems())
        .containsExactly("acme-crm/: silo directory does not exist under the config root");
    assertThat(failure.getMessage()).doesNotContain(configRoot.toString());
  }

  @Test
  void givenProblemsInSeveralFiles_whenLoaded_theMessageShouldNameEachFileRelativeToTheConfigRoot() {
    example.replace(COMPOSE, "    command: postgrest\n", "    command: postgrest\n   misindented: true\n");
    example.write("supabase/migrations/2025_bad.sql", "select 1;");
    int line = example.lineOf(COMPOSE, "misindented");

    SiloConfigException failure = example.failure();

    assertThat(failure.getMessage())
        .startsWith("silo config acme-crm/ has 2 problem(s):\n")
        .contains("\n  - acme-crm/" + COMPOSE + ":" + line + ": invalid YAML: ")
        .contains("\n  - acme-crm/supabase/migrations/2025_bad.sql: not a migration file")
        .doesNotContain(configRoot.toString());
    assertThat(failure.renderedProblems()).allSatisfy(problem -> assertThat(problem).startsWith("acme-crm/"));
  }

  @Test
  void givenAMigrationOverTheFileLimit_whenLoaded_itShouldNameTheFileAndItsSize() throws Exception {
    Path big = example.file("supabase/migrations/20250201000000_big.sql");
    writeSqlOfSize(big, ConfigLimits.MIGRATION_FILE_BYTES + 1);

    assertThat(example.problems()).containsExactly("supabase/migrations/20250201000000_big.sql: file is"
        + " 16.0 MiB (16777217 bytes), over the 16 MiB limit of a migration file");
  }

  @Test
  void givenMigrationsOverTheTotalLimit_whenLoaded_itShouldNameTheDirectoryAndTheTotal() throws Exception {
    long each = 13L * 1024 * 1024;
    for (int i = 0; i < 5; i++) {
      writeSqlOfSize(example.file("supabase/migrations/2025020100000" + i + "_part.sql"), each);
    }
    long total = each * 5 + Files.size(example.file("supabase/migrations/20250115090000_create_crm_contacts.sql"))
        + Files.size(example.file("supabase/migrations/20250115091500_contacts_rls.sql"));

    assertThat(example.problems()).containsExactly("supabase/migrations/: the migrations total "
        + ConfigLimits.describe(total) + ", over the 64 MiB limit of all migrations together");
  }

  @Test
  void givenAConfigFileOverItsLimit_whenLoaded_itShouldNameTheFileAndItsSize() {
    example.write("netlify.env.silo", example.read("netlify.env.silo") + "# " + "x".repeat(40 * 1024) + "\n");
    long size = example.file("netlify.env.silo").toFile().length();

    assertThat(example.problems()).containsExactly("netlify.env.silo: file is " + ConfigLimits.describe(size)
        + ", over the 32 KiB limit of a config file");
  }

  @Test
  void givenConfigFilesOverTheirLimitTogether_whenLoaded_itShouldNameTheTotal() {
    for (String service : List.of("pg", "rest", "auth", "kong")) {
      String file = "fly/" + service + ".toml";
      example.write(file, example.read(file) + "# " + "x".repeat(30 * 1024) + "\n");
    }

    assertThat(example.problems()).singleElement().asString()
        .startsWith(": the config files other than migrations total ")
        .endsWith(", over the 96 KiB limit of them together");
  }

  @Test
  void givenAValidMigration_whenLoaded_theConfigShouldCarryItsHashAndSizeButNotItsContent() throws Exception {
    Path file = example.file("supabase/migrations/20250115090000_create_crm_contacts.sql");
    byte[] bytes = Files.readAllBytes(file);

    MigrationFile migration = example.load().migrations().get(0);

    assertThat(migration.fileName()).isEqualTo("20250115090000_create_crm_contacts.sql");
    assertThat(migration.sql()).isNull();
    assertThat(migration.size()).isEqualTo(bytes.length);
    assertThat(migration.sha256()).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  @Test
  void givenAMigrationThatIsNotUtf8_whenLoaded_itShouldSaySo() throws Exception {
    Files.write(example.file("supabase/migrations/20250201000000_latin1.sql"),
        new byte[] {'s', 'e', 'l', 'e', 'c', 't', ' ', '\'', (byte) 0xE9, '\'', ';'});

    assertThat(example.problems())
        .containsExactly("supabase/migrations/20250201000000_latin1.sql: file is not valid UTF-8");
  }

  /** Writes valid SQL of exactly {@code size} bytes without holding it whole. */
  private static void writeSqlOfSize(Path file, long size) throws Exception {
    byte[] line = ("-- " + "x".repeat(1020) + "\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        int n = (int) Math.min(line.length, left);
        if (n < line.length) {
          Arrays.fill(line, 0, n, (byte) ' ');
        }
        out.write(line, 0, n);
        left -= n;
      }
    }
  }

  @Test
  void givenInvalidNames_whenLoaded_itShouldFailBeforeTouchingTheFileSystem() {
    Path missing = configRoot.resolve("missing-root");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> new SiloConfigLoader().load(missing, "../acme", "CRM"))
        .withMessageContaining("client '../acme' is not valid")
        .withMessageContaining("app 'CRM' is not valid");
  }

  @Test
  void givenUnparsableYaml_whenLoaded_itShouldReportTheFileAndLine() {
    example.replace(
        COMPOSE, "    command: postgrest\n", "    command: postgrest\n   misindented: true\n");
    int line = example.lineOf(COMPOSE, "misindented");

    assertThat(example.problems())
        .singleElement()
        .asString()
        .startsWith(COMPOSE + ":" + line + ": invalid YAML: ")
        .contains("expected <block end>");
  }

  @Test
  void givenADuplicateYamlKey_whenLoaded_itShouldReportItAsInvalidYaml() {
    example.replace(
        COMPOSE,
        "    command: postgrest\n",
        "    command: postgrest\n    image: postgrest/postgrest:latest\n");
    int line = example.lineOf(COMPOSE, "postgrest/postgrest:latest");

    assertThat(example.problems())
        .containsExactly(COMPOSE + ":" + line + ": invalid YAML: Duplicate field 'image'");
  }

  @Test
  void givenAYamlAlias_whenLoaded_itShouldAskForTheValueToBeWrittenOut() {
    example.replace(
        COMPOSE, "    image: kong:2.8.1\n", "    image: &kong kong:2.8.1\n    user: *kong\n");
    int line = example.lineOf(COMPOSE, "*kong");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE + ":" + line + ": YAML aliases (*name) are not supported; write the value out");
  }

  @Test
  void givenUnparsableToml_whenLoaded_itShouldReportTheFileAndLine() {
    example.replace("fly/rest.toml", "[build]", "[build");
    int line = example.lineOf("fly/rest.toml", "[build");

    assertThat(example.problems())
        .singleElement()
        .asString()
        .startsWith("fly/rest.toml:" + line + ": invalid TOML: ");
  }

  @Test
  void givenAVmMemoryThatIsNotASize_whenLoaded_itShouldReportItAtItsLine() {
    example.replace("fly/rest.toml", "memory = \"512mb\"", "memory = \"lots\"");
    int line = example.lineOf("fly/rest.toml", "memory = \"lots\"");

    assertThat(example.problems()).containsExactly(
        "fly/rest.toml:" + line + ": vm[0].memory 'lots' is not a size such as 512mb or 1gb");
  }

  @Test
  void givenANegativeVmMemory_whenLoaded_itShouldReportItAtItsLine() {
    example.replace("fly/rest.toml", "memory = \"512mb\"", "memory = -512");
    int line = example.lineOf("fly/rest.toml", "memory = -512");

    assertThat(example.problems()).containsExactly(
        "fly/rest.toml:" + line + ": vm[0].memory must be more than 0, not -512");
  }

  @Test
  void givenCpusThatAreNotANumber_whenLoaded_itShouldReportThemAtTheirLine() {
    example.replace("fly/rest.toml", "cpus = 1", "cpus = \"two\"");
    int line = example.lineOf("fly/rest.toml", "cpus = \"two\"");

    assertThat(example.problems()).containsExactly(
        "fly/rest.toml:" + line + ": vm[0].cpus must be an integer, not 'two'");
  }

  @Test
  void givenAnInternalPortOutOfRange_whenLoaded_itShouldReportItAtItsLine() {
    example.replace("fly/rest.toml", "internal_port = 3000", "internal_port = 70000");
    int line = example.lineOf("fly/rest.toml", "internal_port = 70000");

    assertThat(example.problems()).containsExactly(
        "fly/rest.toml:" + line + ": http_service.internal_port must be a port from 1 to 65535, not 70000");
  }

  @Test
  void givenAnUnknownAutoStopMode_whenLoaded_itShouldListTheModesAtItsLine() {
    example.replace("fly/rest.toml", "auto_stop_machines = \"stop\"", "auto_stop_machines = \"sometimes\"");
    int line = example.lineOf("fly/rest.toml", "auto_stop_machines = \"sometimes\"");

    assertThat(example.problems()).containsExactly(
        "fly/rest.toml:" + line + ": http_service.auto_stop_machines 'sometimes' is not off, stop or suspend");
  }

  @Test
  void givenABooleanWrittenAsText_whenLoaded_itShouldReportItAtItsLine() {
    example.replace("fly/rest.toml", "force_https = true", "force_https = \"yes\"");
    int line = example.lineOf("fly/rest.toml", "force_https = \"yes\"");

    assertThat(example.problems()).containsExactly(
        "fly/rest.toml:" + line + ": http_service.force_https must be true or false, not 'yes'");
  }

  @Test
  void givenAServicePortAndACheckOfTheWrongTypeInPg_whenLoaded_itShouldReportEachAtItsLine() throws Exception {
    String pg = Files.readString(example.file("fly/pg.toml"));
    String servicePort = pg.lines().filter(l -> l.strip().startsWith("port = 5432")).findFirst().orElseThrow();
    String interval = pg.lines().filter(l -> l.strip().startsWith("interval = ")).findFirst().orElseThrow();
    example.replace("fly/pg.toml", servicePort, servicePort.replace("5432", "\"5432\""))
        .replace("fly/pg.toml", interval, interval.replaceFirst("= .*", "= 15"));
    int portLine = example.lineOf("fly/pg.toml", "port = \"5432\"");
    int intervalLine = example.lineOf("fly/pg.toml", "interval = 15");

    assertThat(example.problems()).containsExactlyInAnyOrder(
        "fly/pg.toml:" + portLine + ": services[0].ports[0].port must be an integer, not '5432'",
        "fly/pg.toml:" + intervalLine + ": services[0].tcp_checks[0].interval must be a string, not 15");
  }

  @Test
  void givenTypeProblemsInSeveralFlyFiles_whenLoaded_itShouldListThemAllAtOnceWithTheirLines() {
    example.replace("fly/rest.toml", "memory = \"512mb\"", "memory = \"lots\"")
        .replace("fly/rest.toml", "cpus = 1", "cpus = 0")
        .replace("fly/auth.toml", "internal_port = 9999", "internal_port = -1");
    int memory = example.lineOf("fly/rest.toml", "memory = \"lots\"");
    int cpus = example.lineOf("fly/rest.toml", "cpus = 0");
    int port = example.lineOf("fly/auth.toml", "internal_port = -1");

    assertThat(example.problems()).containsExactlyInAnyOrder(
        "fly/rest.toml:" + memory + ": vm[0].memory 'lots' is not a size such as 512mb or 1gb",
        "fly/rest.toml:" + cpus + ": vm[0].cpus must be more than 0, not 0",
        "fly/auth.toml:" + port + ": http_service.internal_port must be a port from 1 to 65535, not -1");
  }

  @Test
  void givenADependencyOnAnUnknownService_whenLoaded_itShouldNameIt() {
    example.replace(COMPOSE, "      - storage\n", "      - storage\n      - meta\n");
    int line = example.lineOf(COMPOSE, "- meta");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE + ":" + line + ": service 'kong': depends_on names unknown service 'meta'");
  }

  @Test
  void givenADependencyCycle_whenLoaded_itShouldNameTheServicesInIt() {
    example.replace(
        COMPOSE,
        "      postgres:\n"
            + "        condition: service_healthy\n"
            + "      rest-api:\n"
            + "        condition: service_started\n",
        "      postgres:\n"
            + "        condition: service_healthy\n"
            + "      studio:\n"
            + "        condition: service_started\n");
    int kongLine = example.lineOf(COMPOSE, "image: kong:2.8.1") - 1;

    assertThat(example.problems())
        .containsExactly(
            COMPOSE + ":" + kongLine + ": dependency cycle: kong -> storage -> studio -> kong");
  }

  @Test
  void givenAnUnknownDependencyCondition_whenLoaded_itShouldListTheValidOnes() {
    example.replace(
        COMPOSE, "        condition: service_started\n", "        condition: service_ready\n");
    int line = example.lineOf(COMPOSE, "service_ready");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + line
                + ": service 'storage': depends_on rest-api: condition 'service_ready' is"
                + " not one of service_started, service_healthy, service_completed_successfully");
  }

  @Test
  void givenAMissingFlyServiceAndAnExtraOne_whenLoaded_itShouldReportBoth() throws Exception {
    Files.move(example.file("fly/studio.toml"), example.file("fly/meta.toml"));

    assertThat(example.problems())
        .containsExactly(
            "fly/meta.toml: unknown Fly service 'meta'; the services are pg, rest, auth, kong,"
                + " storage, studio",
            "fly/studio.toml: file is missing");
  }

  @Test
  void givenAFlyAppNamedForAnotherSilo_whenLoaded_itShouldGiveTheExpectedName() {
    example.replace(
        "fly/auth.toml", "app = \"devenv-acme-crm-auth\"", "app = \"devenv-acme-erp-auth\"");

    int line = example.lineOf("fly/auth.toml", "app = \"devenv-acme-erp-auth\"");

    assertThat(example.problems())
        .containsExactly(
            "fly/auth.toml:" + line + ": app is 'devenv-acme-erp-auth' but must be 'devenv-acme-crm-auth'");
  }

  @Test
  void givenAFlyFileWithoutBuildImage_whenLoaded_itShouldReportIt() {
    example.replace("fly/kong.toml", "  image = \"kong:2.8.1\"\n", "");

    int line = example.lineOf("fly/kong.toml", "[build]");

    assertThat(example.problems()).containsExactly("fly/kong.toml:" + line + ": [build] image is missing");
  }

  @Test
  void givenNoFlyDirectory_whenLoaded_itShouldReportOneProblem() {
    SiloNames.FLY_SERVICES.forEach(service -> example.delete("fly/" + service + ".toml"));
    example.delete("fly");

    assertThat(example.problems())
        .containsExactly(
            "fly/: directory is missing; it must hold pg.toml, rest.toml, auth.toml, kong.toml,"
                + " storage.toml, studio.toml");
  }

  @Test
  void givenAnUnsupportedComposeKey_whenLoaded_itShouldNameTheKeyAndTheService() {
    example.replace(
        COMPOSE, "    image: kong:2.8.1\n", "    image: kong:2.8.1\n    privileged: true\n");
    int line = example.lineOf(COMPOSE, "privileged");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + line
                + ": service 'kong': unsupported key 'privileged' (supported: image, command,"
                + " entrypoint, environment, env_file, ports, volumes, depends_on, healthcheck,"
                + " labels, restart, networks, working_dir, user)");
  }

  @Test
  void givenAnUnsupportedTopLevelKey_whenLoaded_itShouldNameIt() {
    example.replace(COMPOSE, "name: silo-acme-crm\n", "name: silo-acme-crm\nsecrets: {}\n");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "secrets:")
                + ": unsupported top-level key 'secrets' (supported: services, networks, volumes,"
                + " name, version)");
  }

  @Test
  void givenAServiceWithoutImage_whenLoaded_itShouldReportIt() {
    int kongLine = example.lineOf(COMPOSE, "image: kong:2.8.1") - 1;
    example.replace(COMPOSE, "    image: kong:2.8.1\n", "");

    assertThat(example.problems())
        .containsExactly(COMPOSE + ":" + kongLine + ": service 'kong': image is missing");
  }

  @Test
  void givenAnUndeclaredNamedVolume_whenLoaded_itShouldAskForItAtTheTopLevel() {
    example.replace(COMPOSE, "volumes:\n  db-data:\n", "volumes:\n");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "- db-data:")
                + ": service 'postgres': volume 'db-data' is not declared under the top-level"
                + " volumes");
  }

  @Test
  void givenABadHealthcheckDuration_whenLoaded_itShouldShowTheExpectedSyntax() {
    example.replace(COMPOSE, "      start_period: 1m30s\n", "      start_period: 90\n");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "start_period")
                + ": service 'postgres': healthcheck start_period '90' is not a duration such as"
                + " 10s, 1m30s or 500ms");
  }

  @Test
  void givenHealthcheckDurationsOutOfRange_whenLoaded_itShouldNameEachWithItsRangeAndLine() {
    example.replace(COMPOSE, "      start_period: 1m30s\n", "      start_period: 2h\n");
    example.replace(COMPOSE, "      interval: 10s\n", "      interval: 999999h\n");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "start_period")
                + ": service 'postgres': healthcheck start_period '2h' is out of range: it must be from 0s to 10m",
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "interval: 999999h")
                + ": service 'kong': healthcheck interval '999999h' is out of range: it must be from 1s to 5m");
  }

  @Test
  void
      givenAnEnvironmentVariableWithoutValue_whenLoaded_itShouldRefuseToPassTheWorkersOwnThrough() {
    example.replace(
        COMPOSE,
        "      LOG_LEVEL: debug\n",
        "      LOG_LEVEL: debug\n      AWS_SECRET_ACCESS_KEY:\n");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "AWS_SECRET_ACCESS_KEY")
                + ": service 'worker-queue': environment variable AWS_SECRET_ACCESS_KEY has no"
                + " value; Silo Deployer never passes the worker's own environment through, so give"
                + " it one");
  }

  @Test
  void givenABadMigrationFileName_whenLoaded_itShouldShowTheExpectedName() {
    example.write("supabase/migrations/2025_add_deals.sql", "create table crm.deals ();\n");

    assertThat(example.problems())
        .containsExactly(
            "supabase/migrations/2025_add_deals.sql: not a migration file: names are <14-digit UTC"
                + " timestamp>_<name>.sql, such as 20250115090000_create_contacts.sql, with a name"
                + " of letters, digits, '_' and '-'");
  }

  @Test
  void givenTwoMigrationsWithOneVersion_whenLoaded_itShouldNameBoth() {
    example.write(
        "supabase/migrations/20250115090000_create_crm_deals.sql", "create table crm.deals ();\n");

    assertThat(example.problems())
        .containsExactly(
            "supabase/migrations/20250115090000_create_crm_deals.sql: version 20250115090000 is"
                + " also used by 20250115090000_create_crm_contacts.sql");
  }

  @Test
  void givenAMigrationVersionThatIsNoDate_whenLoaded_itShouldReportIt() {
    example.write("supabase/migrations/20251301000000_deals.sql", "create table crm.deals ();\n");

    assertThat(example.problems())
        .containsExactly(
            "supabase/migrations/20251301000000_deals.sql: 20251301000000 is not a UTC timestamp of"
                + " the form yyyyMMddHHmmss");
  }

  @Test
  void givenAnEnvFileOutsideTheSilo_whenLoaded_itShouldReportTheEscape() {
    example.replace(COMPOSE, "      - ./env/worker-queue.env\n", "      - ../../x\n");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "../../x")
                + ": service 'worker-queue': env_file '../../x': path escapes the silo directory");
  }

  @Test
  void givenABindMountOutsideTheSilo_whenLoaded_itShouldReportTheEscape() {
    example.replace(
        COMPOSE,
        "      - ./volumes/api/kong.yml:/home/kong/kong.yml:ro\n",
        "      - /var/run/docker.sock:/var/run/docker.sock\n");

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "docker.sock")
                + ": service 'kong': volume '/var/run/docker.sock:/var/run/docker.sock': path"
                + " escapes the silo directory");
  }

  @Test
  void givenSymbolicLinksLeadingOutOfTheSilo_whenLoaded_itShouldReportEachEscape()
      throws Exception {
    Path secrets = Files.writeString(outside.resolve("secrets.env"), "QUEUE_MAX_ATTEMPTS=5\n");
    Path pg = Files.writeString(outside.resolve("pg.toml"), "[build]\nimage = \"postgres:16\"\n");
    example.delete("env/worker-queue.env").delete("fly/pg.toml");
    Files.createSymbolicLink(example.file("env/worker-queue.env"), secrets);
    Files.createSymbolicLink(example.file("fly/pg.toml"), pg);

    assertThat(example.problems())
        .containsExactly(
            COMPOSE
                + ":"
                + example.lineOf(COMPOSE, "./env/worker-queue.env")
                + ": service 'worker-queue': env_file './env/worker-queue.env': path escapes the"
                + " silo directory",
            "fly/pg.toml: path escapes the silo directory");
  }

  @Test
  void givenAMalformedNetlifyLine_whenLoaded_itShouldReportItsLineNumber() {
    example.replace("netlify.env.silo", "VITE_APP_ENV=development\n", "VITE_APP_ENV development\n");
    int line = example.lineOf("netlify.env.silo", "VITE_APP_ENV");

    assertThat(example.problems())
        .containsExactly(
            "netlify.env.silo:" + line + ": expected KEY=VALUE, a # comment or a blank line",
            "netlify.env.silo: VITE_APP_ENV is missing; the file declares exactly"
                + " VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY, VITE_APP_ENV, VITE_API_URL");
  }

  @Test
  void givenAnUnknownNetlifyVariable_whenLoaded_itShouldReportItAtItsLine() {
    example.replace(
        "netlify.env.silo",
        "VITE_APP_ENV=development\n",
        "VITE_APP_ENV=development\nVITE_STRIPE_KEY=pk_test\n");

    assertThat(example.problems())
        .containsExactly(
            "netlify.env.silo:"
                + example.lineOf("netlify.env.silo", "VITE_STRIPE_KEY")
                + ": unknown variable VITE_STRIPE_KEY; the file declares exactly VITE_SUPABASE_URL,"
                + " VITE_SUPABASE_ANON_KEY, VITE_APP_ENV, VITE_API_URL");
  }

  @Test
  void givenAnUnknownKeyInSiloYml_whenLoaded_itShouldReportItAtItsLine() {
    example.write("silo.yml", "docker_task_queue: engine-b\ndocker_queue: engine-a\n");

    assertThat(example.problems())
        .containsExactly("silo.yml:2: unknown key 'docker_queue' (supported: docker_task_queue, allow_unsigned_decisions)");
  }

  @Test
  void givenAnAllowUnsignedDecisionsThatIsNotABoolean_whenLoaded_itShouldSaySoAtItsLine() {
    example.write("silo.yml", "# Web UI approvals\nallow_unsigned_decisions: yes please\n");

    assertThat(example.problems())
        .containsExactly("silo.yml:2: allow_unsigned_decisions must be true or false");
  }

  @Test
  void givenAnInvalidDockerTaskQueue_whenLoaded_itShouldReportTheNameAndTheRule() {
    example.write("silo.yml", "# the engine host\ndocker_task_queue: engine b\n");

    assertThat(example.problems())
        .containsExactly(
            "silo.yml:2: docker_task_queue 'engine b' may hold only letters, digits, '.', '_' and"
                + " '-', starting with a letter or digit");
  }

  @Test
  void givenAnEmptyOrNestedDockerTaskQueue_whenLoaded_itShouldAskForAName() {
    example.write("silo.yml", "docker_task_queue:\n");
    assertThat(example.problems())
        .containsExactly("silo.yml:1: docker_task_queue must name a task queue");

    example.write("silo.yml", "docker_task_queue:\n  name: engine-b\n");
    assertThat(example.problems())
        .containsExactly("silo.yml:1: docker_task_queue must be a task queue name, not a mapping");
  }

  @Test
  void givenASiloYmlThatIsNoMapping_whenLoaded_itShouldSaySo() {
    example.write("silo.yml", "- engine-b\n");

    assertThat(example.problems())
        .containsExactly("silo.yml:1: the top level must be a mapping of settings");
  }

  @Test
  void givenSeveralProblemsInOneDirectory_whenLoaded_itShouldReportThemAllAtOnce() {
    example
        .replace(
            COMPOSE, "    image: kong:2.8.1\n", "    image: kong:2.8.1\n    privileged: true\n")
        .replace(COMPOSE, "      - storage\n", "      - storage\n      - meta\n")
        .delete("fly/studio.toml")
        .replace("fly/rest.toml", "[build]", "[build")
        .replace("netlify.env.silo", "VITE_API_URL=filled-by-silo-deployer\n", "")
        .write("supabase/migrations/add_deals.sql", "create table crm.deals ();\n");

    assertThat(example.problems())
        .hasSize(6)
        .anySatisfy(
            problem -> assertThat(problem).contains("service 'kong': unsupported key 'privileged'"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains("service 'kong': depends_on names unknown service 'meta'"))
        .anySatisfy(
            problem -> assertThat(problem).startsWith("fly/rest.toml:").contains("invalid TOML"))
        .contains("fly/studio.toml: file is missing")
        .anySatisfy(
            problem -> assertThat(problem).startsWith("netlify.env.silo: VITE_API_URL is missing"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .startsWith("supabase/migrations/add_deals.sql: not a migration file"));
  }
}
