package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.silo.activities.config.FlyMachineConfigReader;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.FlyMachineConfig;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MachineConfigMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> SECRETS = Map.of("POSTGRES_PASSWORD", "pw-1", "JWT_SECRET", "jwt-1");

  private static Map<String, FlyAppSpec> examples;
  private final MachineConfigMapper mapper = new MachineConfigMapper(JSON);

  @BeforeAll
  static void loadExamples() {
    examples = FlyFixture.exampleApps();
  }

  @Test
  void givenThePgExample_whenMapped_itShouldBeATcpServiceWithItsTcpCheckAndTheSecretsInEnv() throws Exception {
    MachinePlan plan = mapper.plan(examples.get("pg"), SECRETS);

    assertThat(plan.region()).isEqualTo("yul");
    assertThat(withoutHash(plan.config())).isEqualTo(JSON.readTree("""
        {
          "image": "supabase/postgres:15.8.1.060",
          "env": {
            "POSTGRES_DB": "postgres", "POSTGRES_HOST": "/var/run/postgresql", "POSTGRES_PORT": "5432",
            "JWT_SECRET": "jwt-1", "POSTGRES_PASSWORD": "pw-1"
          },
          "guest": {"cpu_kind": "shared", "cpus": 1, "memory_mb": 1024},
          "services": [{
            "protocol": "tcp", "internal_port": 5432,
            "autostop": false, "autostart": true, "min_machines_running": 1,
            "ports": [{"port": 5432}],
            "checks": [{"type": "tcp", "interval": "15s", "timeout": "2s", "grace_period": "30s"}]
          }],
          "metadata": {"fly_platform_version": "v2", "fly_process_group": "app"}
        }
        """));
    assertThat(plan.config().at("/metadata/silo_config_hash").asText()).isEqualTo(plan.configHash());
  }

  @Test
  void givenTheAuthExample_whenMapped_itShouldServeHttpOn80And443AndCarryTheNamedCheck() throws Exception {
    MachinePlan plan = mapper.plan(examples.get("auth"), Map.of());

    assertThat(plan.region()).isEqualTo("yul");
    assertThat(withoutHash(plan.config())).isEqualTo(JSON.readTree("""
        {
          "image": "supabase/gotrue:v2.177.0",
          "env": {
            "API_EXTERNAL_URL": "https://devenv-acme-crm-kong.fly.dev", "GOTRUE_API_HOST": "0.0.0.0",
            "GOTRUE_API_PORT": "9999", "GOTRUE_DB_DRIVER": "postgres", "GOTRUE_JWT_EXP": "3600",
            "GOTRUE_MAILER_AUTOCONFIRM": "true", "GOTRUE_SITE_URL": "https://silo-acme-crm.netlify.app"
          },
          "guest": {"cpu_kind": "shared", "cpus": 1, "memory_mb": 512},
          "services": [{
            "protocol": "tcp", "internal_port": 9999,
            "autostop": true, "autostart": true, "min_machines_running": 0,
            "ports": [
              {"port": 80, "handlers": ["http"], "force_https": true},
              {"port": 443, "handlers": ["tls", "http"]}
            ]
          }],
          "checks": {
            "health": {"type": "http", "port": 9999, "interval": "15s", "timeout": "5s", "grace_period": "20s",
                       "path": "/health"}
          },
          "metadata": {"fly_platform_version": "v2", "fly_process_group": "app"}
        }
        """));
  }

  @Test
  void givenTheKongExample_whenMapped_itShouldTurnTheHttpServiceChecksIntoServiceChecks() {
    ObjectNode config = mapper.plan(examples.get("kong"), Map.of()).config();

    JsonNode service = config.at("/services/0");
    assertThat(service.path("internal_port").asInt()).isEqualTo(8000);
    assertThat(service.path("min_machines_running").asInt()).isEqualTo(1);
    assertThat(service.path("checks")).containsExactly(JSON.createObjectNode()
        .put("type", "http").put("interval", "15s").put("timeout", "5s").put("grace_period", "10s")
        .put("method", "GET").put("path", "/status"));
    assertThat(config.has("checks")).isFalse();
  }

  @Test
  void givenTheRestStorageAndStudioExamples_whenMapped_itShouldServeTheirInternalPortWithTheirVm() {
    Map<String, Integer> ports = Map.of("rest", 3000, "storage", 5000, "studio", 3000);
    Map<String, Integer> memory = Map.of("rest", 512, "storage", 512, "studio", 1024);
    ports.forEach((service, port) -> {
      MachinePlan plan = mapper.plan(examples.get(service), Map.of());
      assertThat(plan.region()).as(service).isEqualTo("yul");
      assertThat(plan.config().path("image").asText()).as(service).isEqualTo(examples.get(service).image());
      assertThat(plan.config().at("/services/0/internal_port").asInt()).as(service).isEqualTo(port);
      assertThat(plan.config().at("/services/0/ports/0/port").asInt()).as(service).isEqualTo(80);
      assertThat(plan.config().at("/services/0/ports/1/handlers").toString()).as(service).isEqualTo("[\"tls\",\"http\"]");
      assertThat(plan.config().at("/guest/memory_mb").asInt()).as(service).isEqualTo(memory.get(service));
      assertThat(plan.config().path("env").size()).as(service).isEqualTo(examples.get(service).env().size());
    });
  }

  @Test
  void givenAnyExample_whenMapped_itsHashShouldBeTheSha256OfTheCanonicalConfigWithoutTheHash() throws Exception {
    ObjectMapper sortedKeys = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    for (FlyAppSpec spec : examples.values()) {
      MachinePlan plan = mapper.plan(spec, SECRETS);
      Map<String, Object> config = sortedKeys.convertValue(withoutHash(plan.config()), new TypeReference<>() {});
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sortedKeys.writeValueAsBytes(config));

      assertThat(plan.configHash()).as(spec.service()).isEqualTo(HexFormat.of().formatHex(digest));
    }
  }

  @Test
  void givenTheSpecCrossedAWorkflowPayload_whenMapped_itShouldHashTheSame() {
    DefaultDataConverter converter = DefaultDataConverter.newDefaultInstance();
    for (FlyAppSpec spec : examples.values()) {
      Payload payload = converter.toPayload(spec).orElseThrow();
      FlyAppSpec roundTripped = converter.fromPayload(payload, FlyAppSpec.class, FlyAppSpec.class);

      assertThat(mapper.plan(roundTripped, SECRETS).configHash()).as(spec.service())
          .isEqualTo(mapper.plan(spec, SECRETS).configHash());
    }
  }

  @Test
  void givenANewSecretValue_whenMapped_itShouldChangeTheHashSoTheMachineIsUpdated() {
    FlyAppSpec pg = examples.get("pg");

    String before = mapper.plan(pg, SECRETS).configHash();
    String after = mapper.plan(pg, Map.of("POSTGRES_PASSWORD", "pw-2", "JWT_SECRET", "jwt-1")).configHash();

    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void givenASecretNamedLikeAnEnvVariable_whenMapped_theSecretShouldWin() {
    MachinePlan plan = mapper.plan(examples.get("pg"), Map.of("POSTGRES_DB", "from-secret"));

    assertThat(plan.config().at("/env/POSTGRES_DB").asText()).isEqualTo("from-secret");
    assertThat(plan.toString()).doesNotContain("from-secret");
  }

  @Test
  void givenServicesWithHttpChecksAndOptions_whenMapped_itShouldKeepThemAsFlyctlDoes() throws Exception {
    FlyAppSpec spec = spec("""
        app = "devenv-acme-crm-rest"
        kill_signal = "SIGINT"
        kill_timeout = 5
        [build]
          image = "nginx:1"
        [http_service]
          internal_port = 8080
        [[services]]
          internal_port = 9000
          [[services.ports]]
            port = 443
            handlers = ["tls", "http"]
            tls_options = { alpn = ["h2", "http/1.1"] }
          [[services.http_checks]]
            interval = "10s"
            path = "/ready"
            headers = { X-Forwarded-Proto = "https" }
        [checks.ping]
          path = "/ping"
        [[vm]]
          size = "performance-cpu-2x"
        """);

    ObjectNode config = mapper.plan(spec, Map.of()).config();

    assertThat(config.at("/services/1/ports/0")).isEqualTo(JSON.readTree(
        "{\"port\": 443, \"handlers\": [\"tls\", \"http\"], \"tls_options\": {\"alpn\": [\"h2\", \"http/1.1\"]}}"));
    assertThat(config.at("/services/1/checks/0")).isEqualTo(JSON.readTree(
        "{\"type\": \"http\", \"interval\": \"10s\", \"path\": \"/ready\","
            + " \"headers\": [{\"name\": \"X-Forwarded-Proto\", \"values\": [\"https\"]}]}"));
    assertThat(config.at("/checks/ping")).isEqualTo(JSON.readTree("{\"type\": \"http\", \"port\": 8080, \"path\": \"/ping\"}"));
    assertThat(config.path("guest")).isEqualTo(JSON.readTree("{\"cpu_kind\": \"performance\", \"cpus\": 2, \"memory_mb\": 4096}"));
    assertThat(config.path("stop_config")).isEqualTo(JSON.readTree("{\"signal\": \"SIGINT\", \"timeout\": \"5s\"}"));
  }

  @Test
  void givenASpecValidatedBeforeMachineConfigsWereTyped_whenMapped_itShouldMapItsDocumentToTheSameConfig()
      throws Exception {
    for (FlyAppSpec spec : examples.values()) {
      Map<String, Object> document = new TomlMapper().readValue(
          Files.readString(FlyFixture.exampleSilo().resolve(spec.configFile())),
          new TypeReference<LinkedHashMap<String, Object>>() {});
      FlyAppSpec legacy = new FlyAppSpec(spec.service(), spec.configFile(), spec.appName(), spec.image(),
          spec.primaryRegion(), spec.env(), null, document);

      assertThat(mapper.plan(legacy, SECRETS).configHash()).as(spec.service())
          .isEqualTo(mapper.plan(spec, SECRETS).configHash());
    }
  }

  @Test
  void givenALegacySpecWithAnUnreadableVmMemory_whenMapped_itShouldFailAsInvalidConfigNamingTheFile() throws Exception {
    Map<String, Object> document = new TomlMapper().readValue("""
        [build]
          image = "nginx:1"
        [[vm]]
          memory = "lots"
        """, new TypeReference<LinkedHashMap<String, Object>>() {});
    FlyAppSpec legacy = new FlyAppSpec("rest", "fly/rest.toml", null, "nginx:1", null, Map.of(), null, document);

    assertThatExceptionOfType(ApplicationFailure.class)
        .isThrownBy(() -> mapper.plan(legacy, Map.of()))
        .satisfies(failure -> {
          assertThat(failure.getType()).isEqualTo("INVALID_CONFIG");
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("fly/rest.toml").contains("vm[0].memory 'lots'");
        });
  }

  private static FlyAppSpec spec(String toml) throws Exception {
    Map<String, Object> document = new TomlMapper().readValue(toml, new TypeReference<LinkedHashMap<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> build = (Map<String, Object>) document.get("build");
    String image = (String) build.get("image");
    List<String> problems = new ArrayList<>();
    FlyMachineConfig machine = new FlyMachineConfigReader((path, message) -> problems.add(message))
        .read(document, image, Map.of());
    assertThat(problems).as("problems of the test's fly.toml").isEmpty();
    return new FlyAppSpec("rest", "fly/rest.toml", (String) document.get("app"), image, null, Map.of(), machine, null);
  }

  private static JsonNode withoutHash(ObjectNode config) {
    ObjectNode copy = config.deepCopy();
    ((ObjectNode) copy.path("metadata")).remove(MachineConfigMapper.CONFIG_HASH_KEY);
    return copy;
  }
}
