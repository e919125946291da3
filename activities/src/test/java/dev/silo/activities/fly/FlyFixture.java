package dev.silo.activities.fly;

import dev.silo.activities.config.SiloConfigException;
import dev.silo.activities.config.SiloConfigLoader;
import dev.silo.activities.database.SecretStore;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.sandbox.SpecValidator;
import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.FlyActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A Fly sandbox, the activities pointed at it (called directly, or as activities through {@link
 * TestActivityEnvironment} when heartbeats matter), and the example silo's Fly apps.
 */
final class FlyFixture implements AutoCloseable {

  static final String TOKEN = "fm2_lJPECAAAAAAAAMSdxBBbLmZqdXN0LWEtdGVzdC10b2tlbg==,fm2_c2lsby1zYW5kYm94LXRva2Vu";
  static final String ORG = "acme-crm";

  /** Short enough for the tests, long enough for the sandbox's 50 ms state steps. */
  static final DeployTimeouts FAST =
      new DeployTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMillis(600), Duration.ofMillis(50));

  // Surefire runs in the module's directory; the example silo lives beside the modules.
  private static final Path EXAMPLE_SILOS = Path.of("..", "examples", "config", "silos");

  final FlySandbox sandbox;
  final FlyActivitiesImpl direct;
  final List<Object> heartbeats = new CopyOnWriteArrayList<>();
  private final TestActivityEnvironment environment;
  private final FlyActivities activities;

  private FlyFixture(FlySandbox sandbox, FlyActivitiesImpl direct) {
    this.sandbox = sandbox;
    this.direct = direct;
    this.environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(direct);
    environment.setActivityHeartbeatListener(String.class, heartbeats::add);
    this.activities = environment.newActivityStub(FlyActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  static FlyFixture start() throws IOException {
    return start(TOKEN, TOKEN);
  }

  /**
   * @param sandboxToken the token the sandbox accepts
   * @param workerToken the token the activities send
   */
  static FlyFixture start(String sandboxToken, String workerToken) throws IOException {
    FlySandbox sandbox = FlySandbox.builder(FlyMachinesSpec.find(), sandboxToken)
        .stateDelay(Duration.ofMillis(50))
        .start();
    return new FlyFixture(sandbox, fromEnvironment(environment(sandbox, workerToken), FAST));
  }

  /** The activities as the worker builds them from this environment, with these timeouts. */
  static FlyActivitiesImpl fromEnvironment(Map<String, String> environment, DeployTimeouts timeouts) {
    WorkerSettings settings = WorkerSettings.fromEnvironment(environment);
    return new FlyActivitiesImpl(settings.fly().orElseThrow(), timeouts,
        SecretStore.under(settings.stateDirectory(), Clock.systemUTC()));
  }

  static Map<String, String> environment(FlySandbox sandbox, String token) {
    return Map.of(
        FlyActivitiesImpl.TOKEN_VARIABLE, token,
        FlyActivitiesImpl.API_URL_VARIABLE, sandbox.url(),
        FlyActivitiesImpl.GRAPHQL_URL_VARIABLE, sandbox.graphqlUrl());
  }

  /** The activities as a workflow calls them: through Temporal, with heartbeats recorded. */
  FlyActivities activities() {
    return activities;
  }

  /** The example silo's directory. */
  static Path exampleSilo() {
    return EXAMPLE_SILOS.resolve("acme-crm");
  }

  /** The example silo's Fly apps, as the config loader reads them, by service. */
  static Map<String, FlyAppSpec> exampleApps() {
    try {
      return new SiloConfigLoader().load(EXAMPLE_SILOS, "acme", "crm").flyApps().stream()
          .collect(Collectors.toMap(FlyAppSpec::service, spec -> spec));
    } catch (SiloConfigException e) {
      throw new IllegalStateException("the example silo does not load: " + e.getMessage(), e);
    }
  }

  /**
   * The requests the published spec rejected, but for the create-app body's {@code name}, which
   * the client sends on purpose ({@link CreateAppBodyDeviationTest}).
   */
  List<SpecValidator.Violation> violations() {
    return sandbox.violations().stream().filter(violation -> !CreateAppBodyDeviationTest.isTheDeviation(violation))
        .toList();
  }

  @Override
  public void close() {
    environment.close();
    sandbox.close();
  }
}
