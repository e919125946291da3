package dev.silo.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.common.SearchAttributeKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads docker-compose.temporal.yml as an operator's Compose would and checks what the README
 * promises of it: the services, their images and pinned versions, ports, health checks, start order,
 * the search attributes the namespace step creates and the codec endpoint the UI uses. No container
 * engine is needed; CI also runs Debian's docker-compose validator on the file.
 */
class TemporalComposeFileTest {

  // Surefire runs in the module's directory; the file lives at the repository's root.
  private static final Path ROOT = Path.of("..");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?][^}]*)?}");

  private static JsonNode services;
  private static String text;
  private static Properties versions;

  @BeforeAll
  static void read() throws IOException {
    text = Files.readString(ROOT.resolve("docker-compose.temporal.yml"));
    services = new ObjectMapper(new YAMLFactory()).readTree(text).get("services");
    versions = new Properties();
    try (var reader = Files.newBufferedReader(ROOT.resolve("deploy/temporal/versions.env"))) {
      versions.load(reader);
    }
  }

  @Test
  void givenTheComposeFile_whenRead_itShouldHoldTheServerItsDatabaseTheSetupStepsTheUiAndAnOptionalWorker() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly(
        "postgresql", "temporal-schema", "temporal", "temporal-namespace", "temporal-ui", "silo-worker");
    assertThat(image("postgresql")).isEqualTo("postgres:${POSTGRESQL_VERSION}");
    assertThat(image("temporal-schema")).isEqualTo("temporalio/admin-tools:${TEMPORAL_ADMINTOOLS_VERSION}");
    assertThat(image("temporal")).isEqualTo("temporalio/server:${TEMPORAL_VERSION}");
    assertThat(image("temporal-namespace")).isEqualTo("temporalio/admin-tools:${TEMPORAL_ADMINTOOLS_VERSION}");
    assertThat(image("temporal-ui")).isEqualTo("temporalio/ui:${TEMPORAL_UI_VERSION}");
    assertThat(text).doesNotContain("auto-setup");
    assertThat(services.get("silo-worker").get("profiles")).extracting(JsonNode::asText).containsExactly("worker");
    assertThat(services.get("silo-worker").get("build").get("dockerfile").asText()).isEqualTo("deploy/worker/Dockerfile");
    assertThat(ROOT.resolve("deploy/worker/Dockerfile")).isRegularFile();
  }

  @Test
  void givenTheVersionsFile_whenRead_itShouldPinEveryImageOfTheFileInOnePlace() {
    assertThat(versions.getProperty("POSTGRESQL_VERSION")).isEqualTo("16");
    for (String name : List.of("TEMPORAL_VERSION", "TEMPORAL_ADMINTOOLS_VERSION", "TEMPORAL_UI_VERSION")) {
      assertThat(versions.getProperty(name)).as(name).matches("\\d+\\.\\d+\\.\\d+");
    }
    Matcher variables = VARIABLE.matcher(text);
    List<String> undefined = new ArrayList<>();
    while (variables.find()) {
      boolean hasDefault = variables.group(2) != null && variables.group(2).contains("-");
      if (!hasDefault && versions.getProperty(variables.group(1)) == null) {
        undefined.add(variables.group(1));
      }
    }
    assertThat(undefined).as("variables without a default and not in versions.env").isEmpty();
  }

  @Test
  void givenTheServices_whenStarted_theyShouldStartInOrderEachWaitingForWhatItNeeds() {
    assertThat(dependsOn("temporal-schema")).containsEntry("postgresql", "service_healthy");
    assertThat(dependsOn("temporal")).containsEntry("temporal-schema", "service_completed_successfully");
    assertThat(dependsOn("temporal-namespace")).containsEntry("temporal", "service_healthy");
    assertThat(dependsOn("temporal-ui")).containsEntry("temporal", "service_healthy");
    assertThat(dependsOn("silo-worker")).containsEntry("temporal-namespace", "service_completed_successfully");
    for (String service : List.of("postgresql", "temporal")) {
      JsonNode health = services.get(service).get("healthcheck");
      assertThat(health).as(service + " health check").isNotNull();
      assertThat(health.get("test").get(0).asText()).isIn("CMD", "CMD-SHELL");
    }
    assertThat(services.get("postgresql").get("healthcheck").get("test").get(1).asText()).contains("pg_isready");
  }

  @Test
  void givenThePorts_whenPublished_theyShouldBeTheFrontendTheUiTheCodecAndTheMetrics() {
    assertThat(ports("temporal")).containsExactly("7233:7233");
    assertThat(ports("temporal-ui")).containsExactly("8080:8080");
    assertThat(ports("silo-worker")).containsExactly("8081:8081", "9464:9464");
    assertThat(services.get("postgresql").get("ports")).as("PostgreSQL stays inside the network").isNull();
  }

  @Test
  void givenTheUi_whenItShowsPayloads_itShouldDecodeThemThroughTheWorkersCodecEndpointWithCredentials() {
    JsonNode ui = services.get("temporal-ui").get("environment");
    assertThat(ui.get("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
    assertThat(ui.get("TEMPORAL_CODEC_ENDPOINT").asText()).isEqualTo("${SILO_CODEC_ENDPOINT:-http://localhost:8081}");
    assertThat(ui.get("TEMPORAL_CODEC_INCLUDE_CREDENTIALS").asText()).isEqualTo("true");
    JsonNode worker = services.get("silo-worker").get("environment");
    assertThat(worker.get("SILO_CODEC_PORT").asText()).isEqualTo("8081");
    assertThat(worker.get("SILO_UI_ORIGIN").asText()).contains("http://localhost:8080");
    assertThat(worker.get("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
    assertThat(text).doesNotContainPattern("SILO_(PAYLOAD_KEY|CODEC_TOKEN): [^$]");
  }

  @Test
  void givenTheNamespaceStep_whenItRuns_itShouldCreateEverySearchAttributeTheWorkflowsUse() throws IOException {
    assertThat(services.get("temporal-namespace").get("entrypoint").get(1).asText())
        .isEqualTo("/silo/create-namespace.sh");
    Path script = ROOT.resolve("deploy/temporal/create-namespace.sh");
    String body = Files.readString(script);
    assertThat(body).contains("temporal operator search-attribute create").contains("--type Keyword");
    TreeSet<String> created = new TreeSet<>();
    Matcher names = Pattern.compile("for name in ([^;]+);").matcher(body);
    assertThat(names.find()).isTrue();
    created.addAll(List.of(names.group(1).trim().split("\\s+")));
    assertThat(created).containsExactlyInAnyOrderElementsOf(
        SiloSearchAttributes.ALL.stream().map(SearchAttributeKey::getName).toList());
    assertThat(script).isExecutable();
    assertThat(ROOT.resolve("deploy/temporal/setup-schema.sh")).isExecutable();
    assertThat(Files.readString(ROOT.resolve("deploy/temporal/setup-schema.sh")))
        .contains("temporal-sql-tool --plugin postgres12").contains("temporal_visibility");
  }

  private static String image(String service) {
    return services.get(service).get("image").asText().replaceAll(":\\?[^}]*}", "}");
  }

  private static Map<String, String> dependsOn(String service) {
    Map<String, String> conditions = new LinkedHashMap<>();
    services.get(service).get("depends_on").fields()
        .forEachRemaining(entry -> conditions.put(entry.getKey(), entry.getValue().get("condition").asText()));
    return conditions;
  }

  private static List<String> ports(String service) {
    List<String> ports = new ArrayList<>();
    services.get(service).get("ports").forEach(port -> ports.add(port.asText()));
    return ports;
  }
}
