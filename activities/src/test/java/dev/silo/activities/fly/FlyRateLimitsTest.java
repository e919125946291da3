package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlyRateLimitsTest {

  private static final String TOKEN = "fm2_c2lsby1yYXRlLWxpbWl0cw==";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlySandbox sandbox;
  private FlyClient client;

  @BeforeEach
  void start() throws Exception {
    sandbox = FlySandbox.builder(FlyMachinesSpec.find(), TOKEN).stateDelay(Duration.ofMillis(20)).start();
    client = new FlyClient(FlyClient.defaultHttpClient(), HttpUrl.parse(sandbox.url()),
        HttpUrl.parse(sandbox.graphqlUrl()), FlyToken.of(TOKEN), JSON);
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void givenTheSandboxEnforcingFlysLimits_whenABurstReadsOneMachine_itShouldAllSucceedWithoutA429() throws Exception {
    client.createOrganization("acme-crm");
    assertThat(client.createApp("devenv-acme-crm-rest", "acme-crm")).isInstanceOf(FlyClient.AppCreated.class);
    ObjectNode config = JSON.createObjectNode().put("image", "postgrest/postgrest:v12.2.3");
    String machineId = client.createMachine("devenv-acme-crm-rest", new MachinePlan("yul", config, "hash")).id();
    sandbox.enforceRateLimits(true);

    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<FlyClient.Machine>> reads = IntStream.range(0, 30)
          .mapToObj(i -> callers.submit(() -> client.machine("devenv-acme-crm-rest", machineId)))
          .toList();
      for (Future<FlyClient.Machine> read : reads) {
        assertThat(read.get().id()).isEqualTo(machineId);
      }
    } finally {
      callers.shutdownNow();
    }

    assertThat(sandbox.rateLimitRefusals()).as("the client kept to Get Machine's 5 a second").isZero();
    assertThat(sandbox.violations()).as("but the create-app body's name, sent on purpose")
        .allSatisfy(violation -> assertThat(violation.path()).isEqualTo("/v1/apps"));
  }

  @Test
  void givenMachinesApiPaths_whenClassified_itShouldApplyFlysPerActionLimits() {
    assertThat(FlyRateLimits.limitOf("GET", "/v1/apps/web/machines/m1")).isEqualTo(new FlyRateLimits.Limit(5, 10));
    assertThat(FlyRateLimits.limitOf("POST", "/v1/apps/web/machines/m1")).isEqualTo(new FlyRateLimits.Limit(1, 3));
    assertThat(FlyRateLimits.limitOf("GET", "/v1/apps/web/machines/m1/wait")).isEqualTo(new FlyRateLimits.Limit(1, 3));
    assertThat(FlyRateLimits.limitOf("DELETE", "/v1/apps/web")).isEqualTo(new FlyRateLimits.Limit(1, 3));
    assertThat(FlyRateLimits.limitOf("POST", "/v1/apps")).as("creating an app").isNull();
    assertThat(FlyRateLimits.limitOf("POST", "/graphql")).isNull();
  }
}
