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
import java.io.File;
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
  void givenARequestNamingAnotherDirectory_whenLoading_itShouldRefuseItWithOneLineAndReadNothingThere()
      throws Exception {
    ExampleSilo.copyTo(otherRoot).write("silo.yml", "allow_unsigned_decisions: true\n");

    ApplicationFailure failure = failureOf(new LoadSiloConfigRequest(otherRoot.toString(), "acme", "crm"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).isEqualTo("config root '" + otherRoot + "' is not one of the"
        + " worker's config roots: the worker reads silos only under its own SILO_CONFIG_ROOT, so a request"
        + " names the silo and no config root");
  }

  @Test
  void givenARequestNamingTheWorkersOwnRootByAnotherPath_whenLoading_itShouldReadIt() throws Exception {
    Path link = Files.createSymbolicLink(otherRoot.resolve("link"), configRoot);

    SiloConfig config = activities().loadSiloConfig(
        new LoadSiloConfigRequest(link.resolve("..").resolve("link").toString(), "acme", "crm"));

    assertThat(config.flyApps()).hasSize(6);
  }

  @Test
  void givenASiloYmlAdmittingUnsignedDecisionsUnderTheWorkersRoot_whenLoading_itShouldBeHonoured() {
    example.write("silo.yml", "allow_unsigned_decisions: true\n");

    SiloConfig own = activities().loadSiloConfig(new LoadSiloConfigRequest(null, "acme", "crm"));

    assertThat(own.allowUnsignedDecisions()).isTrue();
  }

  @Test
  void givenSeveralRootsAndTheSiloUnderOne_whenLoading_itShouldReadItThere() throws Exception {
    Path empty = Files.createDirectories(otherRoot.resolve("empty"));
    example.replace("netlify.env.silo", "VITE_APP_ENV=development", "VITE_APP_ENV=staging");
    TestActivityEnvironment twoRoots = TestActivityEnvironment.newInstance();
    try {
      twoRoots.registerActivitiesImplementations(
          new ConfigActivitiesImpl(ConfigRoots.parse(empty + File.pathSeparator + configRoot)));

      SiloConfig config = twoRoots.newActivityStub(ConfigActivities.class, OPTIONS)
          .loadSiloConfig(new LoadSiloConfigRequest(null, "acme", "crm"));

      assertThat(config.netlifyEnv()).containsEntry("VITE_APP_ENV", "staging");
    } finally {
      twoRoots.close();
    }
  }

  @Test
  void givenTheSiloUnderTwoRoots_whenLoading_itShouldRefuseWithOneLineNamingTheEntries() throws Exception {
    ExampleSilo.copyTo(otherRoot);
    TestActivityEnvironment twoRoots = TestActivityEnvironment.newInstance();
    try {
      twoRoots.registerActivitiesImplementations(
          new ConfigActivitiesImpl(ConfigRoots.parse(configRoot + File.pathSeparator + otherRoot)));

      ActivityFailure failure = assertThatExceptionOfType(ActivityFailure.class)
          .isThrownBy(() -> twoRoots.newActivityStub(ConfigActivities.class, OPTIONS)
              .loadSiloConfig(new LoadSiloConfigRequest(null, "acme", "crm")))
          .actual();

      ApplicationFailure cause = (ApplicationFailure) failure.getCause();
      assertThat(cause.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
      assertThat(cause.getOriginalMessage()).isEqualTo("silo directory acme-crm/ exists under 2 of the worker's"
          + " config roots (SILO_CONFIG_ROOT entries 1, 2); it must be under exactly one");
    } finally {
      twoRoots.close();
    }
  }

  @Test
  void givenABrokenConfig_whenLoading_itShouldFailWithoutRetryListingEveryProblemRelativeToTheConfigRoot()
      throws Exception {
    example
        .delete("fly/kong.toml")
        .replace("netlify.env.silo", "VITE_API_URL=filled-by-silo-deployer\n", "");

    ApplicationFailure failure = failureOf(new LoadSiloConfigRequest(null, "acme", "crm"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "silo config acme-crm/ has 2 problem(s):\n"
                + "  - acme-crm/fly/kong.toml: file is missing\n"
                + "  - acme-crm/netlify.env.silo: VITE_API_URL is missing; the file declares exactly"
                + " VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY, VITE_APP_ENV, VITE_API_URL");
    assertThat(failure.getDetails().get(0, List.class))
        .containsExactly(
            "acme-crm/fly/kong.toml: file is missing",
            "acme-crm/netlify.env.silo: VITE_API_URL is missing; the file declares exactly"
                + " VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY, VITE_APP_ENV, VITE_API_URL");
  }

  @Test
  void givenAMissingSiloDirectory_whenLoading_itShouldFailAsAnInvalidConfigInOneLine() {
    ApplicationFailure failure = failureOf(new LoadSiloConfigRequest(null, "acme", "erp"));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("silo directory acme-erp/ does not exist under the worker's config root (SILO_CONFIG_ROOT)");
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
