package dev.silo.activities.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.settings.WorkerSettings;
import dev.silo.sandbox.netlify.NetlifySandbox.EnvValue;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.sandbox.netlify.NetlifySpec;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The faults a network and Netlify inflict on the Netlify activities, each injected into the
 * sandbox, and what a deployment must see afterwards: every write exactly once, and no failure for
 * something this run itself already did.
 *
 * <p>A Netlify call is sent once: the HTTP client never resends it by itself, so an attempt whose
 * connection broke fails retryably, and the activity's retry (Temporal's, simulated here by calling
 * the activity again) first reads what Netlify holds. Each test is one probe: the fault, the retry,
 * and the count of what Netlify ended up with.
 */
@Timeout(60)
class NetlifyFaultProbeTest {

  private static final String TOKEN = "nfp_FaultProbeToken_0123456789abcdef";
  private static final String BRANCH = "silo/acme-crm";
  private static final String BUILD_KEY = "silo-acme-crm/netlify/first-build";
  private static final Map<String, String> VARIABLES = Map.of(
      "VITE_SUPABASE_URL", "https://devenv-acme-crm-kong.fly.dev",
      "VITE_APP_ENV", "development",
      "VITE_API_URL", "https://devenv-acme-crm-rest.fly.dev");
  private static final Duration RETRY_AFTER = Duration.ofSeconds(7);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private NetlifySandbox sandbox;
  private NetlifyActivitiesImpl activities;

  @BeforeEach
  void startSandbox() throws Exception {
    sandbox = NetlifySandbox.builder(NetlifySpec.locate())
        .token(TOKEN)
        .siteName("acme-web")
        .buildStep(Duration.ofMillis(20))
        .retryAfter(RETRY_AFTER)
        .start();
    activities = newWorkersActivities();
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenAResetAfterNetlifyCreatedTheBuild_whenTheBuildIsRetried_itShouldLeaveExactlyOneBuild() {
    activities.configureBranchDeploy(configure());
    sandbox.faults().dropReply(NetlifySandbox.CREATE_SITE_BUILD, 1);

    ApplicationFailure lost = failureOf(() -> activities.buildBranch(build()));
    BranchBuild retried = activities.buildBranch(build());

    assertRetryable(lost);
    assertThat(sandbox.faults().calls(NetlifySandbox.CREATE_SITE_BUILD)).as("builds requested").isEqualTo(1);
    assertThat(sandbox.builds()).singleElement().extracting(NetlifySandbox.Build::title).isEqualTo(BUILD_KEY);
    assertThat(retried.deployId()).isEqualTo(sandbox.builds().get(0).deployId());
    assertThat(retried.triggeredWithKey()).as("the retry found the lost attempt's build as its own").isTrue();
  }

  @Test
  void givenAResetAfterNetlifyCreatedTheVariables_whenConfigureIsRetried_itShouldSucceedWithEachVariableOnce() {
    sandbox.faults().dropReply(NetlifySandbox.CREATE_ENV_VARS, 1);

    ApplicationFailure lost = failureOf(() -> activities.configureBranchDeploy(configure()));
    NetlifyBranchConfig retried = activities.configureBranchDeploy(configure());

    assertRetryable(lost);
    assertThat(retried.branch()).isEqualTo(BRANCH);
    assertThat(sandbox.faults().calls(NetlifySandbox.CREATE_ENV_VARS)).as("variable creations sent").isEqualTo(1);
    assertEachVariableOnceWithTheBranchValue();
  }

  @Test
  void givenAnEarlierAttemptsCreateLandingAfterTheRetryRead_whenTheRetryCreatesTheVariables_itShouldTakeTheConflictAsDone()
      throws Exception {
    // The first attempt's creation is slow and its answer is lost; its retry, on another worker,
    // reads before that creation lands and creates the same variables, which Netlify answers 409.
    sandbox.faults().latency(NetlifySandbox.CREATE_ENV_VARS, Duration.ofMillis(500));
    sandbox.faults().dropReply(NetlifySandbox.CREATE_ENV_VARS, 1);
    CompletableFuture<NetlifyBranchConfig> firstAttempt =
        CompletableFuture.supplyAsync(() -> activities.configureBranchDeploy(configure()));
    awaitCalls(NetlifySandbox.CREATE_ENV_VARS, 1);

    NetlifyBranchConfig retry = newWorkersActivities().configureBranchDeploy(configure());

    assertThat(firstAttempt).failsWithin(PATIENCE);
    assertThat(sandbox.faults().calls(NetlifySandbox.CREATE_ENV_VARS))
        .as("the lost attempt's creation and the retry's, answered 409").isEqualTo(2);
    assertThat(retry.branch()).isEqualTo(BRANCH);
    assertEachVariableOnceWithTheBranchValue();
  }

  @Test
  void givenAConflictForVariablesNetlifyDoesNotList_whenConfigure_itShouldFailRetryablyAndTheRetryShouldCreateThem() {
    sandbox.faults().failCall(NetlifySandbox.CREATE_ENV_VARS, 1, 409);

    ApplicationFailure conflict = failureOf(() -> activities.configureBranchDeploy(configure()));
    activities.configureBranchDeploy(configure());

    assertRetryable(conflict);
    assertThat(conflict.getOriginalMessage()).contains("already exist, but does not list");
    assertEachVariableOnceWithTheBranchValue();
  }

  @Test
  void givenA503BeforeNetlifyAppliedTheVariables_whenConfigureIsRetried_itShouldCreateThemOnce() {
    sandbox.faults().failCall(NetlifySandbox.CREATE_ENV_VARS, 1, 503);

    ApplicationFailure unavailable = failureOf(() -> activities.configureBranchDeploy(configure()));
    activities.configureBranchDeploy(configure());

    assertRetryable(unavailable);
    assertThat(unavailable.getNextRetryDelay()).isEqualTo(RETRY_AFTER);
    assertEachVariableOnceWithTheBranchValue();
  }

  @Test
  void givenA429WithRetryAfterOnTheBuild_whenTheBuildIsRetried_itShouldWaitAsToldAndBuildOnce() {
    activities.configureBranchDeploy(configure());
    sandbox.faults().failCall(NetlifySandbox.CREATE_SITE_BUILD, 1, 429);

    ApplicationFailure throttled = failureOf(() -> activities.buildBranch(build()));
    activities.buildBranch(build());

    assertRetryable(throttled);
    assertThat(throttled.getNextRetryDelay()).isEqualTo(RETRY_AFTER);
    assertThat(sandbox.builds()).singleElement().extracting(NetlifySandbox.Build::title).isEqualTo(BUILD_KEY);
  }

  /** The activities as another worker builds them from its environment: its own HTTP client. */
  private NetlifyActivitiesImpl newWorkersActivities() {
    return fromEnvironment(Map.of(
            NetlifyActivitiesImpl.TOKEN_VARIABLE, TOKEN,
            NetlifyActivitiesImpl.API_URL_VARIABLE, sandbox.url(),
            NetlifyActivitiesImpl.SITE_VARIABLE, sandbox.siteId()))
        .withPollInterval(Duration.ofMillis(5));
  }

  private void assertEachVariableOnceWithTheBranchValue() {
    assertThat(sandbox.envVars()).containsOnlyKeys(VARIABLES.keySet());
    VARIABLES.forEach((key, value) -> assertThat(sandbox.envVars().get(key)).as(key)
        .containsExactly(new EnvValue("branch", BRANCH, value)));
  }

  private static void assertRetryable(ApplicationFailure failure) {
    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
  }

  /** Waits, within a bound, until the sandbox has received that many calls of the operation. */
  private void awaitCalls(String operation, int calls) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (sandbox.faults().calls(operation) < calls) {
      assertThat(System.nanoTime()).as("%s called %d times", operation, calls).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static ConfigureBranchDeployRequest configure() {
    return new ConfigureBranchDeployRequest(BRANCH, VARIABLES);
  }

  private static BuildBranchRequest build() {
    return new BuildBranchRequest(BRANCH, BUILD_KEY);
  }

  private static ApplicationFailure failureOf(ThrowingCallable call) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, call);
    assertThat(failure).as("an ApplicationFailure is thrown").isNotNull();
    return failure;
  }

  /** The activities as the worker builds them from this environment. */
  private static NetlifyActivitiesImpl fromEnvironment(Map<String, String> environment) {
    return new NetlifyActivitiesImpl(WorkerSettings.fromEnvironment(environment).netlify().orElseThrow());
  }
}
