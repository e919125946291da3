package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyOrganization;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlyActivitiesImplTest {

  private static final String ORG = FlyFixture.ORG;
  private static final String REST = "devenv-acme-crm-rest";
  private static final Map<String, String> SECRETS = Map.of("POSTGRES_PASSWORD", "pw-1", "JWT_SECRET", "jwt-1");

  private static Map<String, FlyAppSpec> examples;
  private FlyFixture fly;
  private FlyActivities activities;

  @BeforeAll
  static void loadExamples() {
    examples = FlyFixture.exampleApps();
  }

  @BeforeEach
  void start() throws IOException {
    fly = FlyFixture.start();
    activities = fly.activities();
  }

  @AfterEach
  void everyRequestConformsToTheSpec() {
    try {
      assertThat(fly.violations()).as("requests the published Fly Machines spec rejects").isEmpty();
    } finally {
      fly.close();
    }
  }

  @Test
  void givenNoOrganization_whenEnsuredTwice_itShouldBeCreatedOnceThenFound() {
    FlyOrganization first = activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    FlyOrganization second = activities.ensureOrganization(new EnsureOrganizationRequest(ORG));

    assertThat(first.created()).isTrue();
    assertThat(first.slug()).isEqualTo(ORG);
    assertThat(second.created()).isFalse();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(fly.sandbox.faults().calls("createOrganization")).isEqualTo(1);
  }

  @Test
  void givenNoApp_whenCreatedTwice_itShouldBeCreatedOnceThenReused() {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));

    FlyApp first = activities.createApp(new CreateFlyAppRequest(ORG, REST));
    FlyApp second = activities.createApp(new CreateFlyAppRequest(ORG, REST));

    assertThat(first).isEqualTo(new FlyApp(REST, ORG, true));
    assertThat(second).isEqualTo(new FlyApp(REST, ORG, false));
    assertThat(fly.sandbox.apps()).singleElement().satisfies(app -> assertThat(app.org()).isEqualTo(ORG));
    assertThat(fly.sandbox.faults().calls("Apps_create")).isEqualTo(1);
  }

  @Test
  void givenTheNameIsTakenInAnotherOrg_whenCreated_itShouldBeRefusedWithoutRetry() {
    activities.ensureOrganization(new EnsureOrganizationRequest("someone-else"));
    activities.createApp(new CreateFlyAppRequest("someone-else", REST));
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));

    ApplicationFailure failure = failureOf(() -> activities.createApp(new CreateFlyAppRequest(ORG, REST)));

    assertThat(failure.getType()).isEqualTo("VENDOR_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(REST).contains("taken outside organization " + ORG);
    assertThat(fly.sandbox.app(REST).orElseThrow().org()).isEqualTo("someone-else");
  }

  @Test
  void givenTheAppAppearsBetweenLookUpAndCreate_whenCreated_itShouldReReadAndReuseIt() {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, REST));
    // The first look-up misses the app (a 404, as if another attempt had not created it yet), so
    // the create runs and is answered 422 "Name has already been taken".
    fly.sandbox.faults().failCall("Apps_show", 2, 404);

    FlyApp app = activities.createApp(new CreateFlyAppRequest(ORG, REST));

    assertThat(app).isEqualTo(new FlyApp(REST, ORG, false));
    assertThat(fly.sandbox.faults().calls("Apps_create")).isEqualTo(2);
  }

  @Test
  void givenAppsInThisAndAnotherOrg_whenLookedFor_itShouldListEveryOneThatExistsAndCreateNothing() {
    activities.ensureOrganization(new EnsureOrganizationRequest("someone-else"));
    activities.createApp(new CreateFlyAppRequest("someone-else", "devenv-acme-crm-pg"));
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, REST));

    FlyAppsFound found = activities.findApps(new FindFlyAppsRequest(
        List.of("devenv-acme-crm-pg", REST, "devenv-acme-crm-auth")));

    assertThat(found.existing()).containsExactly("devenv-acme-crm-pg", REST);
    assertThat(fly.sandbox.apps()).hasSize(2);
    assertThat(fly.sandbox.faults().calls("Apps_create")).isEqualTo(2);
  }

  @Test
  void givenAnApp_whenDestroyedTwice_itShouldBeDestroyedThenAlreadyGone() {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, REST));

    FlyAppDestroyed first = activities.destroyApp(new DestroyFlyAppRequest(ORG, REST));
    FlyAppDestroyed second = activities.destroyApp(new DestroyFlyAppRequest(ORG, REST));

    assertThat(first).isEqualTo(new FlyAppDestroyed(REST, false));
    assertThat(second).isEqualTo(new FlyAppDestroyed(REST, true));
    assertThat(fly.sandbox.apps()).isEmpty();
  }

  @Test
  void givenAnAppOfAnotherOrg_whenDestroyed_itShouldBeRefusedAndLeftStanding() {
    activities.ensureOrganization(new EnsureOrganizationRequest("someone-else"));
    activities.createApp(new CreateFlyAppRequest("someone-else", REST));

    ApplicationFailure failure = failureOf(() -> activities.destroyApp(new DestroyFlyAppRequest(ORG, REST)));

    assertThat(failure.getType()).isEqualTo("FORBIDDEN");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(fly.sandbox.app(REST)).isPresent();
    assertThat(fly.sandbox.faults().calls("Apps_delete")).isZero();
  }

  @Test
  void givenAnApp_whenDeployed_itShouldStartOneMachineAndHeartbeatWhileWaiting() {
    createApp(REST);

    FlyDeployment deployment = activities.deployApp(new DeployFlyAppRequest(REST, examples.get("rest"), SECRETS));

    assertThat(deployment.appName()).isEqualTo(REST);
    assertThat(deployment.state()).isEqualTo("started");
    assertThat(deployment.hostname()).isEqualTo(REST + ".fly.dev");
    assertThat(deployment.publicPorts()).isEqualTo(Map.of("3000", 80));
    FlySandbox.AppState app = fly.sandbox.app(REST).orElseThrow();
    assertThat(app.machines()).singleElement().satisfies(machine -> {
      assertThat(machine.id()).isEqualTo(deployment.machineId());
      assertThat(machine.state()).isEqualTo("started");
      assertThat(machine.region()).isEqualTo("yul");
      assertThat(machine.metadata()).containsEntry("fly_platform_version", "v2").containsEntry("fly_process_group", "app")
          .containsKey(MachineConfigMapper.CONFIG_HASH_KEY);
    });
    assertThat(fly.heartbeats).isNotEmpty()
        .allSatisfy(beat -> assertThat(beat.toString()).startsWith("machine " + deployment.machineId() + " of " + REST)
            .doesNotContain("pw-1").doesNotContain("jwt-1"));
  }

  @Test
  void givenADeployedApp_whenDeployedAgainWithTheSameConfig_itShouldLeaveTheMachineAlone() {
    createApp(REST);
    DeployFlyAppRequest request = new DeployFlyAppRequest(REST, examples.get("rest"), SECRETS);
    FlyDeployment first = activities.deployApp(request);
    String instance = fly.sandbox.app(REST).orElseThrow().machines().get(0).instanceId();

    FlyDeployment second = activities.deployApp(request);

    assertThat(second).isEqualTo(first);
    assertThat(fly.sandbox.app(REST).orElseThrow().machines()).singleElement()
        .satisfies(machine -> assertThat(machine.instanceId()).as("the same run of the same config").isEqualTo(instance));
    assertThat(fly.sandbox.faults().calls("Machines_create")).isEqualTo(1);
    assertThat(fly.sandbox.faults().calls("Machines_update")).isZero();
  }

  @Test
  void givenADeployedApp_whenItsConfigChanges_itShouldUpdateTheSameMachine() {
    createApp(REST);
    FlyDeployment first = activities.deployApp(new DeployFlyAppRequest(REST, examples.get("rest"), SECRETS));
    String oldHash = fly.sandbox.app(REST).orElseThrow().machines().get(0).metadata().get(MachineConfigMapper.CONFIG_HASH_KEY);
    Map<String, String> rotated = new LinkedHashMap<>(SECRETS);
    rotated.put("JWT_SECRET", "jwt-2");

    FlyDeployment second = activities.deployApp(new DeployFlyAppRequest(REST, examples.get("rest"), rotated));

    assertThat(second.machineId()).isEqualTo(first.machineId());
    assertThat(second.state()).isEqualTo("started");
    assertThat(fly.sandbox.app(REST).orElseThrow().machines()).singleElement().satisfies(machine ->
        assertThat(machine.metadata().get(MachineConfigMapper.CONFIG_HASH_KEY)).isNotEqualTo(oldHash));
    assertThat(fly.sandbox.faults().calls("Machines_create")).isEqualTo(1);
    assertThat(fly.sandbox.faults().calls("Machines_update")).isEqualTo(1);
  }

  @Test
  void givenAnUnhealthyApp_whenDeployed_itShouldFailAsDeployFailedWithoutRetry() {
    createApp(REST);
    fly.sandbox.setUnhealthy(REST);
    FlyAppSpec auth = examples.get("auth");

    ApplicationFailure failure = failureOf(() -> activities.deployApp(new DeployFlyAppRequest(REST, auth, SECRETS)));

    assertThat(failure.getType()).isEqualTo("DEPLOY_FAILED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("checks are not passing").contains("health critical");
  }

  @Test
  void givenAMachineThatFails_whenDeployed_itShouldFailAsDeployFailedWithoutRetry() {
    createApp(REST);
    fly.sandbox.setFailing(REST);

    ApplicationFailure failure =
        failureOf(() -> activities.deployApp(new DeployFlyAppRequest(REST, examples.get("rest"), SECRETS)));

    assertThat(failure.getType()).isEqualTo("DEPLOY_FAILED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("ended failed");
  }

  @Test
  void givenEveryHttpExampleApp_whenDeployedInParallel_itShouldStartThemAllWithRequestsTheSpecAccepts() {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    List<String> services = List.of("rest", "auth", "kong", "storage", "studio");
    services.forEach(service -> activities.createApp(new CreateFlyAppRequest(ORG, "devenv-acme-crm-" + service)));

    List<CompletableFuture<FlyDeployment>> deployments = services.stream()
        .map(service -> CompletableFuture.supplyAsync(() -> fly.direct.deployApp(
            new DeployFlyAppRequest("devenv-acme-crm-" + service, examples.get(service), SECRETS))))
        .toList();

    assertThat(deployments).allSatisfy(deployment -> assertThat(deployment.join().state()).isEqualTo("started"));
    assertThat(fly.sandbox.apps()).hasSize(services.size())
        .allSatisfy(app -> assertThat(app.machines()).singleElement()
            .satisfies(machine -> assertThat(machine.state()).isEqualTo("started")));
  }

  private void createApp(String app) {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, app));
  }

  /** The failure an activity ended with, as the workflow sees it. */
  static ApplicationFailure failureOf(Runnable call) {
    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, call::run);
    assertThat(failure).as("the activity should have failed").isNotNull();
    if (failure.getCause() instanceof ApplicationFailure application) {
      return application;
    }
    throw new AssertionError("the activity failed without an ApplicationFailure", failure);
  }
}
