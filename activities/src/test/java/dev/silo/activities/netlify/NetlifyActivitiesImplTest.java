package dev.silo.activities.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.settings.WorkerSettings;
import dev.silo.sandbox.netlify.NetlifySandbox.EnvValue;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.sandbox.netlify.NetlifySpec;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyBuild;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetlifyActivitiesImplTest {

  private static final String TOKEN = "nfp_SandboxToken_5ecr3t_0123456789abcdef";
  private static final String BRANCH = "silo/acme-crm";
  private static final String SITE_NAME = "acme-web";
  private static final String BUILD_KEY = "silo-acme-crm/netlify/first-build";
  private static final Map<String, String> VARIABLES = Map.of(
      "VITE_SUPABASE_URL", "https://devenv-acme-crm-kong.fly.dev",
      "VITE_SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl",
      "VITE_APP_ENV", "development",
      "VITE_API_URL", "https://devenv-acme-crm-rest.fly.dev");

  private static Path spec;

  private NetlifySandbox sandbox;
  private NetlifyActivitiesImpl activities;

  @BeforeAll
  static void locateSpec() {
    spec = NetlifySpec.locate();
  }

  @BeforeEach
  void startSandbox() throws Exception {
    startSandbox(UnaryOperator.identity());
  }

  private void startSandbox(UnaryOperator<NetlifySandbox.Builder> options) throws Exception {
    if (sandbox != null) {
      sandbox.close();
      assertThat(sandbox.violations()).isEmpty();
    }
    sandbox = options.apply(NetlifySandbox.builder(spec)
            .token(TOKEN)
            .siteName(SITE_NAME)
            .buildStep(Duration.ofMillis(20))
            .retryAfter(Duration.ofSeconds(7)))
        .start();
    activities = activitiesWith(Map.of());
  }

  private NetlifyActivitiesImpl activitiesWith(Map<String, String> overrides) {
    Map<String, String> environment = new HashMap<>(Map.of(
        NetlifyActivitiesImpl.TOKEN_VARIABLE, TOKEN,
        NetlifyActivitiesImpl.API_URL_VARIABLE, sandbox.url(),
        NetlifyActivitiesImpl.SITE_VARIABLE, sandbox.siteId()));
    environment.putAll(overrides);
    return fromEnvironment(environment).withPollInterval(Duration.ofMillis(5));
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenNewSiloBranch_whenConfigureBuildAndAwait_itShouldServeThePreviewWithTheBranchVariables() {
    NetlifyBranchConfig config = activities.configureBranchDeploy(configure(VARIABLES));
    NetlifyBuild build = activities.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY));
    NetlifyDeploy deploy = activities.awaitDeploy(new AwaitDeployRequest(build.deployId()), state -> {});

    String previewUrl = "https://silo-acme-crm--" + SITE_NAME + ".netlify.app";
    assertThat(config).isEqualTo(new NetlifyBranchConfig(sandbox.siteId(), BRANCH, false, previewUrl));
    assertThat(sandbox.allowedBranches()).containsExactly("main", BRANCH);
    assertThat(sandbox.envVars()).containsOnlyKeys(VARIABLES.keySet());
    VARIABLES.forEach((key, value) ->
        assertThat(sandbox.envVars().get(key)).containsExactly(new EnvValue("branch", BRANCH, value)));
    assertThat(sandbox.builds()).singleElement()
        .isEqualTo(new NetlifySandbox.Build(build.buildId(), build.deployId(), BRANCH, BUILD_KEY));
    assertThat(deploy).isEqualTo(new NetlifyDeploy(build.deployId(), "ready", previewUrl));
  }

  @Test
  void givenConfiguredBranch_whenConfigureAgainWithOtherValues_itShouldSaySoAndChangeNothing() {
    activities.configureBranchDeploy(configure(VARIABLES));
    int patches = sandbox.sitePatches();
    int envWrites = sandbox.envWrites();
    Map<String, List<EnvValue>> variables = sandbox.envVars();
    Map<String, String> changed = new HashMap<>(VARIABLES);
    changed.put("VITE_APP_ENV", "staging");

    NetlifyBranchConfig again = activities.configureBranchDeploy(configure(changed));

    assertThat(again.alreadyConfigured()).isTrue();
    assertThat(again.previewUrl()).isEqualTo("https://silo-acme-crm--" + SITE_NAME + ".netlify.app");
    assertThat(sandbox.sitePatches()).isEqualTo(patches).isEqualTo(1);
    assertThat(sandbox.envWrites()).isEqualTo(envWrites);
    assertThat(sandbox.envVars()).isEqualTo(variables);
    assertThat(sandbox.allowedBranches()).containsExactly("main", BRANCH);
  }

  @Test
  void givenVariableAlreadyDefinedForOtherContexts_whenConfigure_itShouldAddTheBranchValueAndKeepThem() {
    sandbox.defineEnvValue("VITE_APP_ENV", new EnvValue("production", null, "production"));
    sandbox.defineEnvValue("VITE_APP_ENV", new EnvValue("deploy-preview", null, "preview"));

    activities.configureBranchDeploy(configure(VARIABLES));

    assertThat(sandbox.envVars().get("VITE_APP_ENV")).containsExactly(
        new EnvValue("production", null, "production"),
        new EnvValue("deploy-preview", null, "preview"),
        new EnvValue("branch", BRANCH, "development"));
    assertThat(sandbox.envVars().get("VITE_API_URL"))
        .containsExactly(new EnvValue("branch", BRANCH, VARIABLES.get("VITE_API_URL")));
  }

  @Test
  void givenConfigurationCutShort_whenConfigureAgain_itShouldCompleteItWithoutTouchingWhatIsDone()
      throws Exception {
    startSandbox(options -> options.allowedBranches(List.of("main", "staging", BRANCH)));
    sandbox.defineEnvValue("VITE_APP_ENV", new EnvValue("branch", BRANCH, "development"));

    NetlifyBranchConfig config = activities.configureBranchDeploy(configure(VARIABLES));

    assertThat(config.alreadyConfigured()).isFalse();
    assertThat(sandbox.sitePatches()).isZero();
    assertThat(sandbox.allowedBranches()).containsExactly("main", "staging", BRANCH);
    assertThat(sandbox.envWrites()).as("one creation of the three missing variables").isEqualTo(1);
    VARIABLES.forEach((key, value) ->
        assertThat(sandbox.envVars().get(key)).containsExactly(new EnvValue("branch", BRANCH, value)));
  }

  @Test
  void givenTwoSilosConfiguredAtOnce_whenBothWriteTheSameVariables_itShouldKeepBothBranchesAndValues() {
    sandbox.faults().latency(NetlifySandbox.GET_SITE, Duration.ofMillis(100));
    String erpBranch = "silo/acme-erp";
    Map<String, String> erpVariables = Map.of(
        "VITE_SUPABASE_URL", "https://devenv-acme-erp-kong.fly.dev",
        "VITE_SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.ZXJw",
        "VITE_APP_ENV", "development",
        "VITE_API_URL", "https://devenv-acme-erp-rest.fly.dev");

    CompletableFuture<NetlifyBranchConfig> crm = CompletableFuture.supplyAsync(
        () -> activities.configureBranchDeploy(configure(VARIABLES)));
    CompletableFuture<NetlifyBranchConfig> erp = CompletableFuture.supplyAsync(
        () -> activities.configureBranchDeploy(new ConfigureBranchDeployRequest(erpBranch, erpVariables)));

    assertThat(crm.join().alreadyConfigured()).isFalse();
    assertThat(erp.join().alreadyConfigured()).isFalse();
    assertThat(sandbox.allowedBranches()).containsExactlyInAnyOrder("main", BRANCH, erpBranch);
    VARIABLES.forEach((key, value) -> assertThat(sandbox.envVars().get(key)).containsExactlyInAnyOrder(
        new EnvValue("branch", BRANCH, value), new EnvValue("branch", erpBranch, erpVariables.get(key))));
  }

  @Test
  void givenAnotherWriterDropsTheBranchRightAfterItIsAllowed_whenConfigure_itShouldNoticeAndAllowItAgain() {
    sandbox.dropAllowedBranchAfterNextUpdate(BRANCH);

    NetlifyBranchConfig config = activities.configureBranchDeploy(configure(VARIABLES));

    assertThat(config.alreadyConfigured()).isFalse();
    assertThat(sandbox.allowedBranches()).containsExactly("main", BRANCH);
    assertThat(sandbox.sitePatches()).as("the write, and the one after reading the branch dropped").isEqualTo(2);
  }

  @Test
  void givenTwentySilosAtOnce_whenTheyConfigure_itShouldShareTheAllowedBranchWrites() throws Exception {
    sandbox.faults().latency(NetlifySandbox.UPDATE_SITE, Duration.ofMillis(200));
    List<CompletableFuture<NetlifyBranchConfig>> silos = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(20);
    try {
      for (int silo = 0; silo < 20; silo++) {
        ConfigureBranchDeployRequest request = new ConfigureBranchDeployRequest("silo/acme-app" + silo, VARIABLES);
        silos.add(CompletableFuture.supplyAsync(() -> activities.configureBranchDeploy(request), threads));
      }
      silos.forEach(CompletableFuture::join);
    } finally {
      threads.shutdownNow();
    }

    assertThat(sandbox.allowedBranches()).hasSize(21);
    assertThat(sandbox.sitePatches()).as("fewer writes than silos: those waiting share one").isLessThan(20);
  }

  @Test
  void givenHostNameLongerThanADnsLabel_whenConfigure_itShouldRefuseBeforeChangingAnything() throws Exception {
    startSandbox(options -> options.siteName("a-site-name-long-enough-to-overflow-the-dns-label"));

    ApplicationFailure failure = failureOf(() -> activities.configureBranchDeploy(configure(VARIABLES)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("silo-acme-crm--a-site-name", "63");
    assertThat(sandbox.sitePatches()).isZero();
    assertThat(sandbox.envWrites()).isZero();
  }

  @Test
  void givenSameKey_whenTriggerBuildTwice_itShouldStartOneBuild() {
    NetlifyBuild first = activities.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY));
    NetlifyBuild retried = activities.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY));
    NetlifyBuild other = activities.triggerBuild(new TriggerBuildRequest(BRANCH, "silo-acme-crm/redeploy"));

    assertThat(retried).isEqualTo(first);
    assertThat(other.buildId()).isNotEqualTo(first.buildId());
    assertThat(sandbox.builds()).extracting(NetlifySandbox.Build::id)
        .containsExactly(first.buildId(), other.buildId());
  }

  @Test
  void givenFirstBuildFailed_whenARerunConfiguresAndBuildsTheBranch_itShouldWriteNoConfigurationAndBuildOnce() {
    activities.configureBranchDeploy(configure(VARIABLES));
    sandbox.failNextBuild("Build script returned non-zero exit code: 2");
    BranchBuild failed = activities.buildBranch(new BuildBranchRequest(BRANCH, "silo-acme-crm:run-1:netlify:build"));
    failureOf(() -> activities.awaitDeploy(new AwaitDeployRequest(failed.deployId()), state -> {}));
    int writesAfterFirstRun = sandbox.configurationWrites();

    NetlifyBranchConfig config = activities.configureBranchDeploy(configure(VARIABLES));
    BuildBranchRequest rerun = new BuildBranchRequest(BRANCH, "silo-acme-crm:run-2:netlify:build");
    BranchBuild build = activities.buildBranch(rerun);
    BranchBuild retried = activities.buildBranch(rerun);
    NetlifyDeploy deploy = activities.awaitDeploy(new AwaitDeployRequest(build.deployId()), state -> {});

    assertThat(config.alreadyConfigured()).isTrue();
    assertThat(sandbox.configurationWrites()).isEqualTo(writesAfterFirstRun);
    assertThat(build.triggeredWithKey()).isTrue();
    assertThat(retried.deployId()).isEqualTo(build.deployId());
    assertThat(sandbox.builds()).extracting(NetlifySandbox.Build::title)
        .containsExactly("silo-acme-crm:run-1:netlify:build", "silo-acme-crm:run-2:netlify:build");
    assertThat(deploy.state()).isEqualTo("ready");
    assertThat(sandbox.deploys()).extracting(NetlifySandbox.Deploy::state).containsExactly("error", "ready");
  }

  @Test
  void givenConfigurationAppliedThenRetried_whenTheBranchIsBuilt_itShouldWriteItOnceAndBuildOnce() {
    activities.configureBranchDeploy(configure(VARIABLES));
    int writes = sandbox.configurationWrites();

    NetlifyBranchConfig retried = activities.configureBranchDeploy(configure(VARIABLES));
    BranchBuild build = activities.buildBranch(new BuildBranchRequest(BRANCH, BUILD_KEY));
    NetlifyDeploy deploy = activities.awaitDeploy(new AwaitDeployRequest(build.deployId()), state -> {});

    assertThat(retried.alreadyConfigured()).isTrue();
    assertThat(sandbox.configurationWrites()).isEqualTo(writes).isPositive();
    assertThat(sandbox.builds()).singleElement().extracting(NetlifySandbox.Build::title).isEqualTo(BUILD_KEY);
    assertThat(deploy.state()).isEqualTo("ready");
  }

  @Test
  void givenAConfigurationWriteAppliedWhoseReplyIsLost_whenConfigure_itShouldFailRetryablyWithoutResendingIt() {
    sandbox.faults().dropReply(NetlifySandbox.CREATE_ENV_VARS, 1);

    ApplicationFailure failure = failureOf(() -> activities.configureBranchDeploy(configure(VARIABLES)));
    NetlifyBranchConfig retried = activities.configureBranchDeploy(configure(VARIABLES));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).startsWith("Netlify createEnvVars could not be reached: ");
    assertThat(sandbox.faults().calls(NetlifySandbox.CREATE_ENV_VARS)).as("variable creations sent").isEqualTo(1);
    assertThat(retried.alreadyConfigured()).isTrue();
    assertThat(sandbox.configurationWrites()).as("the site update and the variables' creation").isEqualTo(2);
  }

  @Test
  void givenReadyDeployOfTheBranch_whenBuildBranch_itShouldReturnItAndTriggerNoBuild() {
    activities.configureBranchDeploy(configure(VARIABLES));
    BranchBuild first = activities.buildBranch(new BuildBranchRequest(BRANCH, BUILD_KEY));
    activities.awaitDeploy(new AwaitDeployRequest(first.deployId()), state -> {});

    BranchBuild again = activities.buildBranch(new BuildBranchRequest(BRANCH, "silo-acme-crm:run-2:netlify:build"));

    assertThat(again.ready()).isTrue();
    assertThat(again.triggeredWithKey()).isFalse();
    assertThat(again.deployId()).isEqualTo(first.deployId());
    assertThat(again.previewUrl()).isEqualTo("https://silo-acme-crm--" + SITE_NAME + ".netlify.app");
    assertThat(sandbox.builds()).hasSize(1);
  }

  @Test
  void givenBuildOnItsWay_whenBuildBranchWithAnotherKey_itShouldReturnThatBuildAndTriggerNone() throws Exception {
    // Builds that stay in progress for the test's length, so one is found on its way.
    startSandbox(builder -> builder.buildStep(Duration.ofMinutes(5)));
    BranchBuild first = activities.buildBranch(new BuildBranchRequest(BRANCH, BUILD_KEY));

    BranchBuild again = activities.buildBranch(new BuildBranchRequest(BRANCH, "silo-acme-crm:run-2:netlify:build"));

    assertThat(again.ready()).isFalse();
    assertThat(again.deployId()).isEqualTo(first.deployId());
    assertThat(again.triggeredWithKey()).isFalse();
    assertThat(sandbox.builds()).hasSize(1);
  }

  @Test
  void givenBuildThatFails_whenAwaitDeploy_itShouldFailNonRetryableWithNetlifysMessage() {
    sandbox.failNextBuild("Build script returned non-zero exit code: 2");
    NetlifyBuild build = activities.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY));

    ApplicationFailure failure = failureOf(
        () -> activities.awaitDeploy(new AwaitDeployRequest(build.deployId()), state -> {}));

    assertThat(failure.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(build.deployId(), "'error'", "Build script returned non-zero exit code: 2");
  }

  @Test
  void givenFirstAttemptTriggeredABuildThatFailed_whenBuildBranchIsRetried_itShouldReturnThatDeployAndTriggerNone()
      throws Exception {
    activities.configureBranchDeploy(configure(VARIABLES));
    sandbox.failNextBuild("Build script returned non-zero exit code: 2");
    sandbox.faults().failCall(NetlifySandbox.GET_DEPLOY, 1, 500);
    BuildBranchRequest request = new BuildBranchRequest(BRANCH, BUILD_KEY);
    ApplicationFailure firstAttempt = failureOf(() -> activities.buildBranch(request));
    String deployId = sandbox.builds().get(0).deployId();
    awaitState(deployId, "error");

    BranchBuild retried = activities.buildBranch(request);
    ApplicationFailure awaited = failureOf(
        () -> activities.awaitDeploy(new AwaitDeployRequest(retried.deployId()), state -> {}));

    assertThat(firstAttempt.isNonRetryable()).isFalse();
    assertThat(retried.deployId()).isEqualTo(deployId);
    assertThat(retried.state()).isEqualTo("error");
    assertThat(retried.triggeredWithKey()).isTrue();
    assertThat(sandbox.builds()).hasSize(1);
    assertThat(awaited.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
    assertThat(awaited.getOriginalMessage()).contains("Build script returned non-zero exit code: 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"canceled", "skipped"})
  void givenDeployThatEndsWithoutBeingBuilt_whenAwaitDeploy_itShouldFailNonRetryableNamingTheState(String end) {
    sandbox.endNextBuild(end);
    BranchBuild build = activities.buildBranch(new BuildBranchRequest(BRANCH, BUILD_KEY));

    List<String> polled = new CopyOnWriteArrayList<>();

    // The heartbeat ends a wait that would go on polling the ended deploy, as a timeout would.
    ApplicationFailure failure = failureOf(() -> activities.awaitDeploy(new AwaitDeployRequest(build.deployId()),
        state -> {
          polled.add(state);
          assertThat(polled).as("polls of a deploy that ended '%s'", end).filteredOn(end::equals).hasSizeLessThan(2);
        }));

    assertThat(failure.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(build.deployId(), BRANCH, "'" + end + "'");
  }

  @Test
  void givenTheWorkersSite_whenDescribed_itShouldReturnItsIdAndNameAndChangeNothing() {
    NetlifySite site = activities.describeSite(new DescribeSiteRequest());

    assertThat(site).isEqualTo(new NetlifySite(sandbox.siteId(), SITE_NAME));
    assertThat(sandbox.sitePatches()).isZero();
    assertThat(sandbox.envWrites()).isZero();
  }

  @Test
  void givenUnknownSite_whenConfigure_itShouldBeRejectedWithNetlifysMessage() {
    NetlifyActivitiesImpl unknownSite = activitiesWith(Map.of(NetlifyActivitiesImpl.SITE_VARIABLE, "no-such-site"));

    ApplicationFailure failure = failureOf(() -> unknownSite.configureBranchDeploy(configure(VARIABLES)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).isEqualTo("Netlify refused getSite (HTTP 404): Not Found");
  }

  @Test
  void givenNetlifyRefusesTheBuild_whenTriggerBuild_itShouldBeRejectedWithNetlifysMessage() {
    sandbox.faults().failCall(NetlifySandbox.CREATE_SITE_BUILD, 1, 422);

    ApplicationFailure failure = failureOf(
        () -> activities.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("Netlify refused createSiteBuild (HTTP 422): ")
        .contains("sandbox fault injected into createSiteBuild");
    assertThat(sandbox.builds()).isEmpty();
  }

  @Test
  void givenAccountIdInTheEnvironment_whenConfigure_itShouldAddressThatAccount() {
    NetlifyActivitiesImpl otherAccount = activitiesWith(Map.of(NetlifyActivitiesImpl.ACCOUNT_VARIABLE, "other-team"));

    ApplicationFailure failure = failureOf(() -> otherAccount.configureBranchDeploy(configure(VARIABLES)));

    assertThat(failure.getOriginalMessage()).isEqualTo("Netlify refused getEnvVars (HTTP 404): Not Found");
    assertThat(sandbox.sitePatches()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void givenThrottledOrUnavailable_whenConfigure_itShouldBeRetriedAfterRetryAfter(int status) {
    sandbox.faults().failCall(NetlifySandbox.GET_SITE, 1, status);

    ApplicationFailure failure = failureOf(() -> activities.configureBranchDeploy(configure(VARIABLES)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
    assertThat(failure.getOriginalMessage()).startsWith("Netlify getSite is unavailable (HTTP " + status + "): ");
    assertThat(activities.configureBranchDeploy(configure(VARIABLES)).alreadyConfigured()).isFalse();
  }

  @Test
  void givenServerError_whenAwaitDeploy_itShouldBeRetriedAndTheRetryShouldSucceed() {
    NetlifyBuild build = activities.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY));
    sandbox.faults().failCall(NetlifySandbox.GET_DEPLOY, 1, 500);
    AwaitDeployRequest request = new AwaitDeployRequest(build.deployId());

    ApplicationFailure failure = failureOf(() -> activities.awaitDeploy(request, state -> {}));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isNull();
    assertThat(activities.awaitDeploy(request, state -> {}).state()).isEqualTo("ready");
  }

  @Test
  void givenNetlifyUnreachable_whenConfigure_itShouldBeRetryable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    NetlifyActivitiesImpl unreachable = activitiesWith(
        Map.of(NetlifyActivitiesImpl.API_URL_VARIABLE, "http://127.0.0.1:" + closedPort + "/api/v1"));

    ApplicationFailure failure = failureOf(() -> unreachable.configureBranchDeploy(configure(VARIABLES)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).startsWith("Netlify getSite could not be reached: ");
  }

  @Test
  void givenWrongToken_whenConfigure_itShouldBeRejectedWithoutShowingEitherToken() {
    String wrongToken = "nfp_WrongToken_0000000000000000";
    NetlifyActivitiesImpl wrong = activitiesWith(Map.of(NetlifyActivitiesImpl.TOKEN_VARIABLE, wrongToken));

    ApplicationFailure failure = failureOf(() -> wrong.configureBranchDeploy(configure(VARIABLES)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.getOriginalMessage()).startsWith("Netlify refused getSite (HTTP 401): Access Denied");
    assertThat(stackTraceOf(failure)).doesNotContain(wrongToken);
  }

  @Test
  void givenActivityEnvironment_whenAwaitDeploy_itShouldHeartbeatTheDeployStateWhileItBuilds() throws Exception {
    startSandbox(options -> options.buildStep(Duration.ofMillis(400)));
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(activities);
      List<String> heartbeats = new CopyOnWriteArrayList<>();
      environment.setActivityHeartbeatListener(String.class, heartbeats::add);
      // The SDK sends at most one heartbeat per 80% of the heartbeat timeout, the latest details.
      NetlifyActivities stub = environment.newActivityStub(NetlifyActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setHeartbeatTimeout(Duration.ofMillis(250))
          .build());

      NetlifyBuild build = stub.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY));
      NetlifyDeploy deploy = stub.awaitDeploy(new AwaitDeployRequest(build.deployId()));

      assertThat(deploy.state()).isEqualTo("ready");
      assertThat(heartbeats).first().isEqualTo("new");
      assertThat(heartbeats).contains("building").isSubsetOf("new", "building", "ready");
    } finally {
      environment.close();
    }
  }

  @Test
  void givenActivityEnvironment_whenTheDeployFails_itShouldReachTheWorkflowAsNonRetryableDeployFailed() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(activities);
      NetlifyActivities stub = environment.newActivityStub(NetlifyActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build());
      sandbox.failNextBuild("Plugin \"@netlify/plugin-lighthouse\" failed");
      NetlifyBuild build = stub.triggerBuild(new TriggerBuildRequest(BRANCH, BUILD_KEY));

      ActivityFailure failure = catchThrowableOfType(ActivityFailure.class,
          () -> stub.awaitDeploy(new AwaitDeployRequest(build.deployId())));

      assertThat(failure.getCause()).isInstanceOfSatisfying(ApplicationFailure.class, cause -> {
        assertThat(cause.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
        assertThat(cause.isNonRetryable()).isTrue();
        assertThat(cause.getOriginalMessage()).contains("Plugin \"@netlify/plugin-lighthouse\" failed");
      });
      assertThat(stackTraceOf(failure)).doesNotContain(TOKEN);
    } finally {
      environment.close();
    }
  }

  @Test
  void givenMissingSettings_whenFromEnvironment_itShouldNameTheVariable() {
    // Without its token the worker serves no Netlify activities: EnvironmentActivities says so.
    assertThat(WorkerSettings.fromEnvironment(Map.of(NetlifyActivitiesImpl.SITE_VARIABLE, "site")).netlify())
        .isEmpty();
    IllegalArgumentException noSite = catchThrowableOfType(IllegalArgumentException.class,
        () -> fromEnvironment(Map.of(NetlifyActivitiesImpl.TOKEN_VARIABLE, TOKEN)));

    assertThat(noSite).hasMessage("NETLIFY_SITE_ID is not set");
    assertThat(stackTraceOf(noSite)).doesNotContain(TOKEN);
  }

  /** Waits, within a bound, until the sandbox's deploy has reached the state. */
  private void awaitState(String deployId, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sandbox.deploys().stream().noneMatch(deploy -> deploy.id().equals(deployId) && deploy.state().equals(state))) {
      assertThat(System.nanoTime()).as("deploy %s reaches %s", deployId, state).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static ConfigureBranchDeployRequest configure(Map<String, String> variables) {
    return new ConfigureBranchDeployRequest(BRANCH, variables);
  }

  /** The failure thrown, after checking that no token shows anywhere in it or its causes. */
  private static ApplicationFailure failureOf(ThrowingCallable call) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, call);
    assertThat(failure).as("an ApplicationFailure is thrown").isNotNull();
    assertThat(stackTraceOf(failure)).doesNotContain(TOKEN);
    return failure;
  }

  private static String stackTraceOf(Throwable thrown) {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  /** The activities as the worker builds them from this environment. */
  private static NetlifyActivitiesImpl fromEnvironment(Map<String, String> environment) {
    return new NetlifyActivitiesImpl(WorkerSettings.fromEnvironment(environment).netlify().orElseThrow());
  }
}
