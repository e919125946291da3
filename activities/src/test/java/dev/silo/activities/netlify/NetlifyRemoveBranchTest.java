package dev.silo.activities.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.http.VendorRateLimiter;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.sandbox.netlify.NetlifySandbox.EnvValue;
import dev.silo.sandbox.netlify.NetlifySpec;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.NetlifyBranchRemoved;
import dev.silo.workflows.netlify.RemoveBranchDeployRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code silo destroy --netlify}: the silo branch leaves the site's allowed branches and its
 * branch-context values go, against the Netlify sandbox (every request checked against Netlify's
 * spec); the other branches, the other contexts' values and the other silos' values stay.
 */
class NetlifyRemoveBranchTest {

  private static final String TOKEN = "nfp_SandboxToken_r3m0ve_0123456789abcdef";
  private static final String BRANCH = "silo/acme-crm";
  private static final String OTHER = "silo/acme-erp";
  private static final List<String> KEYS =
      List.of("VITE_SUPABASE_URL", "VITE_SUPABASE_ANON_KEY", "VITE_APP_ENV", "VITE_API_URL");

  private NetlifySandbox sandbox;
  private NetlifyActivitiesImpl activities;

  @BeforeEach
  void start() throws Exception {
    sandbox = NetlifySandbox.builder(NetlifySpec.locate()).token(TOKEN).siteName("acme-web")
        .buildStep(Duration.ofMillis(20)).start();
    activities = new NetlifyActivitiesImpl(WorkerSettings.fromEnvironment(Map.of(
        NetlifyActivitiesImpl.TOKEN_VARIABLE, TOKEN,
        NetlifyActivitiesImpl.API_URL_VARIABLE, sandbox.url(),
        NetlifyActivitiesImpl.SITE_VARIABLE, sandbox.siteId())).netlify().orElseThrow());
    sandbox.defineEnvValue("VITE_APP_ENV", new EnvValue("production", null, "production"));
    activities.configureBranchDeploy(configure(BRANCH, "crm"));
    activities.configureBranchDeploy(configure(OTHER, "erp"));
    assertThat(sandbox.allowedBranches()).containsExactly("main", BRANCH, OTHER);
  }

  @AfterEach
  void stop() {
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void givenAConfiguredBranch_whenRemoved_itAndItsValuesGoAndEverythingElseStays_andASecondCallChangesNothing() {
    NetlifyBranchRemoved removed = activities.removeBranchDeploy(new RemoveBranchDeployRequest(BRANCH, KEYS));

    assertThat(removed.disallowed()).isTrue();
    assertThat(removed.removedVariables()).containsExactlyInAnyOrderElementsOf(KEYS);
    assertThat(removed.alreadyGone()).isFalse();
    assertThat(sandbox.allowedBranches()).containsExactly("main", OTHER);
    Map<String, List<EnvValue>> variables = sandbox.envVars();
    assertThat(variables).containsOnlyKeys(KEYS);
    variables.forEach((key, values) -> {
      assertThat(values).as(key).noneMatch(value -> BRANCH.equals(value.contextParameter()));
      assertThat(values).as(key).anyMatch(value -> OTHER.equals(value.contextParameter()));
    });
    assertThat(variables.get("VITE_APP_ENV")).contains(new EnvValue("production", null, "production"));
    assertThat(variables.get("VITE_API_URL")).containsExactly(new EnvValue("branch", OTHER, "https://erp.example"));

    int writes = sandbox.configurationWrites();
    NetlifyBranchRemoved again = activities.removeBranchDeploy(new RemoveBranchDeployRequest(BRANCH, KEYS));

    assertThat(again.alreadyGone()).isTrue();
    assertThat(sandbox.configurationWrites()).as("no write the second time").isEqualTo(writes);
    assertThat(sandbox.allowedBranches()).containsExactly("main", OTHER);
  }

  @Test
  void givenADeletionAppliedWhoseReplyIsLost_whenRetried_itFinishesWithoutFailing() {
    sandbox.faults().dropReply(NetlifySandbox.DELETE_ENV_VAR_VALUE, 1);

    ApplicationFailure lost = catchThrowableOfType(ApplicationFailure.class,
        () -> activities.removeBranchDeploy(new RemoveBranchDeployRequest(BRANCH, KEYS)));
    NetlifyBranchRemoved retried = activities.removeBranchDeploy(new RemoveBranchDeployRequest(BRANCH, KEYS));

    assertThat(lost).isNotNull();
    assertThat(lost.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(lost.isNonRetryable()).isFalse();
    assertThat(sandbox.allowedBranches()).containsExactly("main", OTHER);
    sandbox.envVars().forEach((key, values) ->
        assertThat(values).as(key).noneMatch(value -> BRANCH.equals(value.contextParameter())));
    assertThat(retried.disallowed()).as("the first attempt already took the branch out").isFalse();
  }

  @Test
  void givenAValueDeletedSinceTheRead_whenItsDeletionAnswers404_itCountsAsDone() {
    NetlifyClient client = new NetlifyClient(sandbox.url(), TOKEN, new OkHttpClient(),
        VendorRateLimiter.of("Netlify", 100, 10, Duration.ofSeconds(5)));
    BranchVariables variables = new BranchVariables(client, sandbox.siteId(), new SideBySide());
    Map<String, NetlifyClient.EnvVar> read = variables.read(sandbox.accountId());
    sandbox.deleteEnvVar("VITE_APP_ENV");

    List<String> removed = variables.remove(sandbox.accountId(), BRANCH, KEYS, read);

    assertThat(removed).as("what held a value when read").containsExactlyInAnyOrderElementsOf(KEYS);
    assertThat(sandbox.envVars()).doesNotContainKey("VITE_APP_ENV");
    sandbox.envVars().forEach((key, values) ->
        assertThat(values).as(key).noneMatch(value -> BRANCH.equals(value.contextParameter())));
  }

  @Test
  void givenARemovalAndAConfigurationAtOnce_whenTheyShareTheAllowedBranchesWrites_neitherIsLost() throws Exception {
    sandbox.faults().latency(NetlifySandbox.UPDATE_SITE, Duration.ofMillis(200));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> removal = threads.submit(() ->
          activities.removeBranchDeploy(new RemoveBranchDeployRequest(BRANCH, KEYS)));
      Future<?> configuration = threads.submit(() ->
          activities.configureBranchDeploy(configure("silo/acme-new", "new")));
      removal.get(30, TimeUnit.SECONDS);
      configuration.get(30, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    assertThat(sandbox.allowedBranches()).containsExactlyInAnyOrder("main", OTHER, "silo/acme-new");
  }

  @Test
  void givenTheProductionBranch_whenAskedToRemoveIt_itIsRefusedAndNothingChanges() {
    int writes = sandbox.configurationWrites();

    ApplicationFailure refused = catchThrowableOfType(ApplicationFailure.class,
        () -> activities.removeBranchDeploy(new RemoveBranchDeployRequest("main", KEYS)));

    assertThat(refused).isNotNull();
    assertThat(refused.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(sandbox.allowedBranches()).containsExactly("main", BRANCH, OTHER);
    assertThat(sandbox.configurationWrites()).isEqualTo(writes);
  }

  private static ConfigureBranchDeployRequest configure(String branch, String name) {
    return new ConfigureBranchDeployRequest(branch, Map.of(
        "VITE_SUPABASE_URL", "https://" + name + "-kong.example",
        "VITE_SUPABASE_ANON_KEY", "anon-" + name,
        "VITE_APP_ENV", "development",
        "VITE_API_URL", "https://" + name + ".example"));
  }
}
