package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.workflows.silo.SiloNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step 5 across runs, as a user sees it: the real workflow, worker and Netlify activities against
 * the Netlify sandbox, counting configuration writes and builds. No container engine is needed: the
 * runs skip the containers, as {@code ./silo demo} does without one.
 */
class NetlifyRebuildIT {

  private static final SiloNames NAMES = new SiloNames(DemoEnvironment.CLIENT, DemoEnvironment.APP);

  private DemoEnvironment demo;
  private DemoCli cli;

  @BeforeEach
  void start() {
    demo = DemoEnvironment.start(repository(), Duration.ZERO, System.getenv(), line -> { });
    cli = new DemoCli(demo);
  }

  @AfterEach
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void givenAFirstBuildThatFailed_whenDeployedAgain_itShouldWriteNoConfigurationBuildOnceAndBeActive()
      throws Exception {
    NetlifySandbox netlify = demo.sandbox().netlify();
    netlify.failNextBuild("Build script returned non-zero exit code: 2");
    JsonNode first = cli.deployAndApprove("--skip-containers");
    assertThat(first.path("status").asText()).isEqualTo("ERROR");
    int writes = netlify.configurationWrites();

    JsonNode second = cli.deployAndApprove("--skip-containers");

    assertThat(second.path("status").asText()).isEqualTo("DEPLOYED");
    assertThat(second.path("netlify").path("alreadyConfigured").asBoolean()).isTrue();
    assertThat(netlify.configurationWrites()).isEqualTo(writes);
    assertThat(netlify.builds()).hasSize(2);
    assertThat(netlify.deploys()).extracting(NetlifySandbox.Deploy::state).containsExactly("error", "ready");
    assertThat(second.path("netlify").path("deployId").asText()).isEqualTo(netlify.deploys().get(1).id());
    assertThat(demo.sandbox().desk().status(NAMES.client(), NAMES.app()).orElseThrow().status()).isEqualTo("active");
    assertThat(actions(second, "NETLIFY")).containsExactly("FOUND", "CREATED");
  }

  @Test
  void givenADeployedSilo_whenDeployedAgain_itShouldFindTheReadyDeployAndTriggerNoBuild() throws Exception {
    NetlifySandbox netlify = demo.sandbox().netlify();
    assertThat(cli.deployAndApprove("--skip-containers").path("status").asText()).isEqualTo("DEPLOYED");
    int writes = netlify.configurationWrites();

    JsonNode second = cli.deployAndApprove("--skip-containers");

    assertThat(second.path("status").asText()).isEqualTo("DEPLOYED");
    assertThat(netlify.configurationWrites()).isEqualTo(writes);
    assertThat(netlify.builds()).hasSize(1);
    assertThat(actions(second, "NETLIFY")).containsExactly("FOUND", "FOUND");
    assertThat(demo.sandbox().desk().status(NAMES.client(), NAMES.app()).orElseThrow().status()).isEqualTo("active");
  }

  private static List<String> actions(JsonNode report, String system) {
    List<String> actions = new ArrayList<>();
    report.path("ledger").forEach(entry -> {
      if (system.equals(entry.path("system").asText())) {
        actions.add(entry.path("action").asText());
      }
    });
    return actions;
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("examples").toFile().isDirectory() ? here : here.getParent();
  }
}
