package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyAppPowered;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.MachinePower;
import dev.silo.workflows.fly.PowerFlyAppRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping and starting an app's machines on the Fly sandbox: the machine goes started to stopped
 * and back, is never destroyed, a second call changes nothing, and every request is one the
 * published Machines spec accepts.
 */
class AppPowerTest {

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
  void givenDeployedApp_whenStoppedThenStarted_itShouldStopAndStartTheSameMachine() {
    FlyDeployment deployed = deploy(REST);
    PowerFlyAppRequest request = new PowerFlyAppRequest(REST, ORG);

    FlyAppPowered stopped = activities.stopMachines(request);

    assertThat(stopped.found()).isTrue();
    assertThat(stopped.machines()).containsExactly(new MachinePower(deployed.machineId(), "started", "stopped", true));
    assertThat(machineState()).isEqualTo("stopped");
    assertThat(fly.heartbeats).anySatisfy(beat -> assertThat(beat.toString()).contains(deployed.machineId()));

    FlyAppPowered started = activities.startMachines(request);

    assertThat(started.machines()).containsExactly(new MachinePower(deployed.machineId(), "stopped", "started", true));
    assertThat(fly.sandbox.app(REST).orElseThrow().machines()).singleElement()
        .satisfies(machine -> {
          assertThat(machine.id()).isEqualTo(deployed.machineId());
          assertThat(machine.state()).isEqualTo("started");
        });
    assertThat(fly.sandbox.faults().calls("Machines_stop")).isEqualTo(1);
    assertThat(fly.sandbox.faults().calls("Machines_start")).isEqualTo(1);
  }

  @Test
  void givenStoppedApp_whenStoppedAgain_itShouldCallNoStopAndSayAlreadyStopped() {
    deploy(REST);
    PowerFlyAppRequest request = new PowerFlyAppRequest(REST, ORG);
    activities.stopMachines(request);

    FlyAppPowered again = activities.stopMachines(request);

    assertThat(again.machines()).extracting(MachinePower::before, MachinePower::after, MachinePower::changed)
        .containsExactly(tuple("stopped", "stopped", false));
    assertThat(fly.sandbox.faults().calls("Machines_stop")).isEqualTo(1);
  }

  @Test
  void givenStartedApp_whenStarted_itShouldCallNoStartAndSayAlreadyStarted() {
    deploy(REST);

    FlyAppPowered started = activities.startMachines(new PowerFlyAppRequest(REST, ORG));

    assertThat(started.machines()).extracting(MachinePower::before, MachinePower::changed)
        .containsExactly(tuple("started", false));
    assertThat(fly.sandbox.faults().calls("Machines_start")).isZero();
  }

  @Test
  void givenNoSuchApp_whenStopped_itShouldAnswerNotFoundAndTouchNothing() {
    FlyAppPowered absent = activities.stopMachines(new PowerFlyAppRequest(REST, ORG));

    assertThat(absent).isEqualTo(new FlyAppPowered(REST, false, List.of()));
  }

  @Test
  void givenAppOfAnotherOrg_whenStopped_itShouldBeRefusedAndLeftRunning() {
    deploy(REST);

    ApplicationFailure failure = FlyActivitiesImplTest.failureOf(
        () -> activities.stopMachines(new PowerFlyAppRequest(REST, "someone-else")));

    assertThat(failure.getType()).isEqualTo("FORBIDDEN");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(machineState()).isEqualTo("started");
    assertThat(fly.sandbox.faults().calls("Machines_stop")).isZero();
  }

  private FlyDeployment deploy(String app) {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, app));
    return activities.deployApp(new DeployFlyAppRequest(app, examples.get("rest"), SECRETS));
  }

  private String machineState() {
    return fly.sandbox.app(REST).orElseThrow().machines().get(0).state();
  }
}
