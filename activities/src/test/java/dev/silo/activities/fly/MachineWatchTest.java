package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FlyMachine;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker's machine watcher against the Fly sandbox, its outcomes awaited with a bound. */
@Timeout(60)
class MachineWatchTest {

  private static final Map<String, FlyAppSpec> EXAMPLES = FlyFixture.exampleApps();
  /** The example's services but pg, whose sandbox app runs a real PostgreSQL; auth and kong have checks. */
  private static final List<String> SERVICES = List.of("rest", "auth", "kong", "storage", "studio");
  private static final Map<String, String> SECRETS = Map.of("POSTGRES_PASSWORD", "pw-1", "JWT_SECRET", "jwt-1");

  private FlyFixture fly;
  private FlyClient client;

  @BeforeEach
  void start() throws IOException {
    fly = FlyFixture.start();
    client = new FlyClient(FlyClient.defaultHttpClient(), HttpUrl.parse(fly.sandbox.url()),
        HttpUrl.parse(fly.sandbox.graphqlUrl()), FlyToken.of(FlyFixture.TOKEN), new ObjectMapper());
    fly.direct.ensureOrganization(new EnsureOrganizationRequest(FlyFixture.ORG));
  }

  @AfterEach
  void close() {
    fly.close();
  }

  @Test
  void givenMachinesSubmitted_whenWatchedThroughFewerCallsThanMachines_everyOneShouldBeReportedHealthy() throws Exception {
    MachineWatch watch = new MachineWatch(client, FlyFixture.FAST, 2);
    List<Outcome> outcomes = SERVICES.stream().map(service -> watched(watch, submit(service))).toList();

    for (Outcome outcome : outcomes) {
      FlyClient.Machine machine = outcome.healthy.get(20, TimeUnit.SECONDS);
      assertThat(machine.state()).isEqualTo("started");
      assertThat(machine.id()).isEqualTo(outcome.machine.machineId());
      assertThat(machine.instanceId()).isEqualTo(outcome.machine.instanceId());
    }
    assertThat(watch.waiting()).isZero();
  }

  @Test
  void givenAMachineThatFailsToStart_whenWatched_itShouldFailTheWaitAsDeployFailed() throws Exception {
    String app = app("rest");
    fly.sandbox.setFailing(app);
    Outcome outcome = watched(new MachineWatch(client, FlyFixture.FAST, 4), submit("rest"));

    ApplicationFailure failure = outcome.failure.get(20, TimeUnit.SECONDS);

    assertThat(failure.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(app).contains("ended failed");
  }

  @Test
  void givenAMachineWhoseChecksNeverPass_whenWatched_itShouldFailTheWaitNamingTheChecks() throws Exception {
    fly.sandbox.setUnhealthy(created(app("auth")));
    Outcome outcome = watched(new MachineWatch(client, FlyFixture.FAST, 4), submit("auth"));

    ApplicationFailure failure = outcome.failure.get(20, TimeUnit.SECONDS);

    assertThat(failure.getType()).isEqualTo(FailureType.DEPLOY_FAILED.type());
    assertThat(failure.getOriginalMessage()).contains("checks are not passing").contains("critical");
    assertThat(outcome.beats).allSatisfy(beat -> assertThat(beat).doesNotContain("pw-1").doesNotContain("jwt-1"));
  }

  @Test
  void givenAWaitNobodyWaitsForAnyLonger_whenItHeartbeats_itShouldBeDropped() throws Exception {
    fly.sandbox.setUnhealthy(created(app("auth")));
    DeployTimeouts patient = new DeployTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30),
        Duration.ofMillis(50));
    MachineWatch watch = new MachineWatch(client, patient, 4);
    Outcome outcome = new Outcome(submit("auth"), false);
    watch.watch(outcome.machine.appName(), outcome.machine.machineId(), outcome.machine.instanceId(), outcome);

    awaitTrue(() -> watch.waiting() == 0, Duration.ofSeconds(15), "the abandoned wait is dropped");

    assertThat(outcome.beats).as("the heartbeat that learnt nobody waits").isNotEmpty();
    assertThat(outcome.healthy).isNotDone();
    assertThat(outcome.failure).isNotDone();
  }

  private FlyMachine submit(String service) {
    fly.direct.createApp(new CreateFlyAppRequest(FlyFixture.ORG, app(service)));
    return fly.direct.submitMachine(new DeployFlyAppRequest(app(service), EXAMPLES.get(service), SECRETS));
  }

  private static Outcome watched(MachineWatch watch, FlyMachine machine) {
    Outcome outcome = new Outcome(machine, true);
    watch.watch(machine.appName(), machine.machineId(), machine.instanceId(), outcome);
    return outcome;
  }

  /** The app, created: the sandbox makes only an existing app unhealthy. */
  private String created(String app) {
    fly.direct.createApp(new CreateFlyAppRequest(FlyFixture.ORG, app));
    return app;
  }

  private static String app(String service) {
    return "devenv-acme-crm-" + service;
  }

  private static void awaitTrue(BooleanSupplier condition, Duration bound, String what) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("%s within %s", what, bound).isNegative();
      Thread.sleep(50);
    }
  }

  /** What one wait reported. */
  private static final class Outcome implements MachineWatch.Waiter {

    final FlyMachine machine;
    final boolean wanted;
    final List<String> beats = new CopyOnWriteArrayList<>();
    final CompletableFuture<FlyClient.Machine> healthy = new CompletableFuture<>();
    final CompletableFuture<ApplicationFailure> failure = new CompletableFuture<>();

    Outcome(FlyMachine machine, boolean wanted) {
      this.machine = machine;
      this.wanted = wanted;
    }

    @Override
    public boolean beat(String progress) {
      beats.add(progress);
      return wanted;
    }

    @Override
    public void healthy(FlyClient.Machine started) {
      healthy.complete(started);
    }

    @Override
    public void failed(RuntimeException cause) {
      failure.complete(cause instanceof ApplicationFailure applicationFailure ? applicationFailure
          : ApplicationFailure.newFailureWithCause(cause.getMessage(), "UNEXPECTED", cause));
    }
  }
}
