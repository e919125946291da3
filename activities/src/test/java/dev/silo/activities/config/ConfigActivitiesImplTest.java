package dev.silo.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.SiloConfig;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls the activity through Temporal's test environment, so that results and failures cross the
 * data converter as they do on a worker.
 */
class ConfigActivitiesImplTest {

  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  @TempDir Path configRoot;
  @TempDir Path otherRoot;

  private TestActivityEnvironment environment;
  private ExampleSilo example;

  @BeforeEach
  void startEnvironment() throws Exception {
    example = ExampleSilo.copyTo(configRoot);
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(new ConfigActivitiesImpl(configRoot));
  }

  @AfterEach
  void closeEnvironment() {
    environment.close();
  }

  @Test
  void givenNoConfigRootInTheRequest_whenLoading_itShouldReadTheWorkersDefaultRoot() {
    SiloConfig config = activities().loadSiloConfig(new LoadSiloConfigRequest(" ", "acme", "crm"));

    assertThat(config.services()).hasSize(7);
    assertThat(config.flyApps()).hasSize(6);
    assertThat(config.services().get(0).healthcheck().startPeriod())
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(config.migrations()).hasSize(2);
  }

  @Test
  void givenAConfigRootInTheRequest_whenLoading_itShouldReadThatRootInstead() throws Exception {
    ExampleSilo other = ExampleSilo.copyTo(otherRoot);
    other.replace("netlify.env.silo", "VITE_APP_ENV=development", "VITE_APP_ENV=staging");

    SiloConfig config =
        activities().loadSiloConfig(new LoadSiloConfigRequest(otherRoot.toString(), "acme", "crm"));

    assertThat(config.netlifyEnv()).containsEntry("VITE_APP_ENV", "staging");
    assertThat(config.directory()).startsWith(otherRoot.toAbsolutePath().toString());
  }

  @Test
  void givenASiloYmlAdmittingUnsignedDecisions_itShouldCountOnlyUnderTheWorkersOwnRoot() throws Exception {
    example.write("silo.yml", "allow_unsigned_decisions: true\n");
    ExampleSilo.copyTo(otherRoot).write("silo.yml", "allow_unsigned_decisions: true\n");

    SiloConfig own = activities().loadSiloConfig(new LoadSiloConfigRequest(null, "acme", "crm"));
    SiloConfig chosen =
        activities().loadSiloConfig(new LoadSiloConfigRequest(otherRoot.toString(), "acme", "crm"));

    assertThat(own.allowUnsignedDecisions()).isTrue();
    assertThat(chosen.allowUnsignedDecisions()).isFalse();
  }

  @Test
  void givenABrokenConfig_whenLoading_itShouldFailWithoutRetryListingEveryProblem()
      throws Exception {
    example
        .delete("fly/kong.toml")
        .replace("netlify.env.silo", "VITE_API_URL=filled-by-silo-deployer\n", "");
    Path directory = configRoot.toAbsolutePath().normalize().resolve("acme-crm");

    ApplicationFailure failure = failureOf(new LoadSiloConfigRequest(null, "acme", "crm"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "silo config "
                + directory
                + " has 2 problem(s):\n"
                + "  - fly/kong.toml: file is missing\n"
                + "  - netlify.env.silo: VITE_API_URL is missing; the file declares exactly"
                + " VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY, VITE_APP_ENV, VITE_API_URL");
    assertThat(failure.getDetails().get(0, List.class))
        .containsExactly(
            "fly/kong.toml: file is missing",
            "netlify.env.silo: VITE_API_URL is missing; the file declares exactly"
                + " VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY, VITE_APP_ENV, VITE_API_URL");
  }

  @Test
  void givenAMissingSiloDirectory_whenLoading_itShouldFailAsAnInvalidConfig() {
    ApplicationFailure failure = failureOf(new LoadSiloConfigRequest(null, "acme", "erp"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).endsWith("acme-erp: silo directory does not exist");
  }

  @Test
  void givenInvalidNames_whenLoading_itShouldFailAsAnInvalidRequestWithoutRetry() throws Exception {
    Files.createDirectories(configRoot.resolve("acme--crm"));

    ApplicationFailure failure = failureOf(new LoadSiloConfigRequest(null, "acme-", "Crm"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("client 'acme-' is not valid")
        .contains("app 'Crm' is not valid");
  }

  @Test
  void givenAClientHoldingAHyphen_whenLoading_itShouldRefuseItNamingThePairWhoseDirectoryItIs() throws Exception {
    Files.createDirectories(configRoot.resolve("acme-sig-a"));

    ApplicationFailure failure = failureOf(new LoadSiloConfigRequest(null, "acme-sig", "a"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).isEqualTo("client 'acme-sig' may not contain '-': the silo ID"
        + " acme-sig-a would also be that of client 'acme', app 'sig-a'");
  }

  private ConfigActivities activities() {
    return environment.newActivityStub(ConfigActivities.class, OPTIONS);
  }

  private ApplicationFailure failureOf(LoadSiloConfigRequest request) {
    ActivityFailure failure =
        assertThatExceptionOfType(ActivityFailure.class)
            .isThrownBy(() -> activities().loadSiloConfig(request))
            .actual();
    return assertThat(failure.getCause())
        .asInstanceOf(InstanceOfAssertFactories.type(ApplicationFailure.class))
        .actual();
  }
}
