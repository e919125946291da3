package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The silo demo's environment, started without a container engine (DOCKER_HOST names a socket nobody serves). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoEnvironmentTest {

  private final List<String> notices = new ArrayList<>();
  private String dockerHost;
  private Path keptConfig;
  private Path composeFile;

  @BeforeAll
  void startAndEndADemoKeepingItsContainers(@TempDir Path tmp) {
    dockerHost = "unix://" + tmp.resolve("no-engine.sock");
    keptConfig = tmp.resolve("kept").resolve("config").resolve("silos");
    try (DemoEnvironment demo = DemoEnvironment.start(repository(), Duration.ZERO, Map.of("DOCKER_HOST", dockerHost),
        notices::add, keptConfig)) {
      composeFile = demo.configRoot().resolve("acme-crm").resolve("docker-compose.silo-acme-crm.yml");
    }
  }

  @AfterAll
  void deleteTheKeptConfig() {
    DemoEnvironment.deleteRecursively(keptConfig);
  }

  @Test
  void givenNoEngineAtDockerHost_whenTheDemoStarts_itShouldNameTheAddressItTried() {
    assertThat(notices).anySatisfy(notice -> assertThat(notice)
        .startsWith("no container engine: DOCKER_HOST=" + dockerHost + " does not answer (")
        .endsWith("; the containers will be reported as skipped"));
  }

  @Test
  void givenKeptContainers_whenTheDemoEnds_itShouldKeepEveryFileTheirBindMountsRead() throws Exception {
    assertThat(composeFile).exists();
    JsonNode services = new YAMLMapper().readTree(composeFile.toFile()).path("services");
    List<Path> bindSources = new ArrayList<>();
    services.forEach(service -> service.path("volumes").forEach(volume -> {
      String source = volume.asText().split(":")[0];
      if (source.startsWith(".")) {
        bindSources.add(composeFile.getParent().resolve(source).normalize());
      }
    }));

    assertThat(bindSources).isNotEmpty().allSatisfy(source -> assertThat(source).exists());
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("examples").toFile().isDirectory() ? here : here.getParent();
  }
}
