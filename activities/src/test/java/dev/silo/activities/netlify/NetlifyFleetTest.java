package dev.silo.activities.netlify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.activities.settings.WorkerSettings;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.sandbox.netlify.NetlifySandbox.EnvValue;
import dev.silo.sandbox.netlify.NetlifySpec;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.NetlifyDeploy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many silos configured by one worker at once, against a sandbox that answers every call after
 * {@link #LATENCY}: no branch and no variable value may be lost. The durations are logged, for the
 * record of issue 15, never asserted.
 */
class NetlifyFleetTest {

  private static final Logger log = LoggerFactory.getLogger(NetlifyFleetTest.class);
  private static final String TOKEN = "nfp_FleetToken_0123456789abcdef";
  private static final Duration LATENCY = Duration.ofMillis(150);
  private static final int SILOS = 20;

  private NetlifySandbox sandbox;
  private NetlifyActivitiesImpl activities;

  @BeforeEach
  void start() throws Exception {
    // Each deploy state lasts 50 ms: a build is over 100 ms after it is created.
    sandbox = NetlifySandbox.builder(NetlifySpec.locate()).token(TOKEN).siteName("acme-web")
        .buildStep(Duration.ofMillis(50)).start();
    sandbox.faults().latency(LATENCY);
    activities = new NetlifyActivitiesImpl(WorkerSettings.fromEnvironment(Map.of(
        NetlifyActivitiesImpl.TOKEN_VARIABLE, TOKEN,
        NetlifyActivitiesImpl.API_URL_VARIABLE, sandbox.url(),
        NetlifyActivitiesImpl.SITE_VARIABLE, sandbox.siteId())).netlify().orElseThrow());
  }

  @AfterEach
  void stop() {
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenTwentySilosAtOnce_whenEachConfiguresItsBranch_itShouldAllowEveryBranchAndKeepEveryValue()
      throws Exception {
    ExecutorService silos = Executors.newFixedThreadPool(SILOS);
    List<Future<Long>> configured = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int silo = 0; silo < SILOS; silo++) {
        ConfigureBranchDeployRequest request = new ConfigureBranchDeployRequest(branch(silo), variables(silo));
        configured.add(silos.submit(() -> {
          long own = System.nanoTime();
          assertThat(activities.configureBranchDeploy(request).alreadyConfigured()).isFalse();
          return System.nanoTime() - own;
        }));
      }
      List<Long> each = new ArrayList<>();
      for (Future<Long> silo : configured) {
        each.add(silo.get());
      }
      log.info("{} silos configured at once at L={} ms: wall {} ms, slowest silo {} ms", SILOS, LATENCY.toMillis(),
          (System.nanoTime() - start) / 1_000_000, each.stream().mapToLong(Long::longValue).max().orElseThrow() / 1_000_000);
    } finally {
      silos.shutdownNow();
    }

    List<String> branches = IntStream.range(0, SILOS).mapToObj(NetlifyFleetTest::branch).toList();
    assertThat(sandbox.allowedBranches()).containsAll(branches).hasSize(SILOS + 1);
    variables(0).keySet().forEach(key -> assertThat(sandbox.envVars().get(key)).containsExactlyInAnyOrderElementsOf(
        IntStream.range(0, SILOS)
            .mapToObj(silo -> new EnvValue("branch", branch(silo), variables(silo).get(key)))
            .toList()));
  }

  @Test
  void givenABuildOf100Milliseconds_whenBuiltAndAwaited_itShouldBeReady() {
    for (Duration latency : List.of(Duration.ZERO, LATENCY)) {
      sandbox.faults().latency(latency);
      List<Long> waits = new ArrayList<>();
      for (int build = 0; build < 5; build++) {
        String branch = branch(build) + "-" + latency.toMillis();
        long start = System.nanoTime();
        BranchBuild built = activities.buildBranch(new BuildBranchRequest(branch, "fleet/" + branch));
        NetlifyDeploy deploy = activities.awaitDeploy(new AwaitDeployRequest(built.deployId()));
        waits.add((System.nanoTime() - start) / 1_000_000);
        assertThat(deploy.state()).isEqualTo("ready");
      }
      log.info("a 100 ms build, built and awaited at L={} ms: {} ms each", latency.toMillis(), waits);
    }
  }

  private static String branch(int silo) {
    return "silo/acme-app" + silo;
  }

  private static Map<String, String> variables(int silo) {
    return Map.of(
        "VITE_SUPABASE_URL", "https://devenv-acme-app" + silo + "-kong.fly.dev",
        "VITE_SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lsbw" + silo,
        "VITE_APP_ENV", "development",
        "VITE_API_URL", "https://devenv-acme-app" + silo + "-rest.fly.dev");
  }
}
