package dev.silo.activities.netlify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.activities.settings.WorkerSettings;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.sandbox.netlify.NetlifySpec;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyDeploy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's Netlify requests against a sandbox that answers 429 over Netlify's rate limit. */
class NetlifyRateLimitTest {

  private static final String TOKEN = "nfp_RateToken_0123456789abcdef";

  private NetlifySandbox sandbox;

  @AfterEach
  void stop() {
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenABurstBeyondTheWorkersAllowance_whenSent_itShouldAllSucceedWithoutA429() throws Exception {
    // 300 a minute: the worker sends 270 at once, then 5 a second.
    NetlifyActivitiesImpl activities = start(300);

    List<String> names = run(290, silo -> activities.describeSite(new DescribeSiteRequest(null, null)).name());

    assertThat(names).hasSize(290).containsOnly("acme-web");
    assertThat(sandbox.rateLimitRefusals()).isZero();
  }

  @Test
  void givenTwentySilosAtOnce_whenEachConfiguresBuildsAndAwaits_itShouldAllBeReadyWithoutA429() throws Exception {
    NetlifyActivitiesImpl activities = start(NetlifyActivitiesImpl.DEFAULT_RATE_PER_MINUTE);

    List<NetlifyDeploy> deploys = run(20, silo -> {
      String branch = "silo/acme-app" + silo;
      activities.configureBranchDeploy(new ConfigureBranchDeployRequest(branch, Map.of(
          "VITE_APP_ENV", "development", "VITE_API_URL", "https://devenv-acme-app" + silo + "-rest.fly.dev")));
      BranchBuild build = activities.buildBranch(new BuildBranchRequest(branch, "first-build-" + silo));
      return activities.awaitDeploy(new AwaitDeployRequest(build.deployId()));
    });

    assertThat(deploys).hasSize(20).allSatisfy(deploy -> assertThat(deploy.state()).isEqualTo("ready"));
    assertThat(sandbox.allowedBranches()).hasSize(21);
    assertThat(sandbox.rateLimitRefusals()).isZero();
  }

  /** A sandbox enforcing this rate, and the activities of a worker told the same rate. */
  private NetlifyActivitiesImpl start(int ratePerMinute) throws Exception {
    sandbox = NetlifySandbox.builder(NetlifySpec.locate()).token(TOKEN).siteName("acme-web")
        .buildStep(Duration.ofMillis(50)).ratePerMinute(ratePerMinute).start();
    sandbox.faults().latency(Duration.ofMillis(20));
    sandbox.enforceRateLimits(true);
    return new NetlifyActivitiesImpl(WorkerSettings.fromEnvironment(Map.of(
        NetlifyActivitiesImpl.TOKEN_VARIABLE, TOKEN,
        NetlifyActivitiesImpl.API_URL_VARIABLE, sandbox.url(),
        NetlifyActivitiesImpl.SITE_VARIABLE, sandbox.siteId(),
        NetlifyActivitiesImpl.RATE_VARIABLE, Integer.toString(ratePerMinute))).netlify().orElseThrow());
  }

  /** Runs the calls 16 at a time and returns their results in order; any failure fails the test. */
  private static <T> List<T> run(int calls, IntFunction<T> call) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      List<Future<T>> results = IntStream.range(0, calls).mapToObj(i -> callers.submit(() -> call.apply(i))).toList();
      List<T> values = new ArrayList<>();
      for (Future<T> result : results) {
        values.add(result.get());
      }
      return values;
    } finally {
      callers.shutdownNow();
    }
  }
}
