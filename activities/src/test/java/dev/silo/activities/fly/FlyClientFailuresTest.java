package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyOrganization;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the client classifies what Fly answers: the failure type, whether Temporal retries, after
 * how long, and that Fly's explanation reaches the message while the token never does.
 */
class FlyClientFailuresTest {

  private static final String ORG = FlyFixture.ORG;
  private static final String REST = "devenv-acme-crm-rest";

  private FlyFixture fly;
  private final List<ApplicationFailure> seen = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    fly = FlyFixture.start();
  }

  @AfterEach
  void noRejectedRequestAndNoTokenAnywhere() {
    try {
      assertThat(fly.violations()).isEmpty();
      seen.forEach(failure -> assertThat(everythingAbout(failure)).doesNotContain(tokenParts()));
    } finally {
      fly.close();
    }
  }

  @Test
  void givenAReadWhoseConnectionIsCutBeforeFlyAnswers_itShouldBeSentOnceMoreAndSucceed() {
    createApp();
    fly.sandbox.faults().resetBefore("Apps_show", 1);

    FlyAppsFound found = fly.direct.findApps(new FindFlyAppsRequest(List.of(REST), ORG));

    assertThat(found.existing()).containsExactly(REST);
    assertThat(fly.sandbox.faults().calls("Apps_show")).as("the cut read, then the one sent again").isEqualTo(2);
  }

  @Test
  void givenACreateWhoseConnectionIsCutBeforeFlyAnswers_itShouldNotBeSentAgainByTheClient() {
    fly.direct.ensureOrganization(new EnsureOrganizationRequest(ORG));
    fly.sandbox.faults().resetBefore("Apps_create", 1);

    ApplicationFailure failure = failureOf(() -> fly.direct.createApp(new CreateFlyAppRequest(ORG, REST)));

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(fly.sandbox.faults().calls("Apps_create")).as("left to Temporal's retry").isEqualTo(1);
  }

  @Test
  void givenAnUnknownOrganization_whenAnAppIsCreated_itShouldBeRejectedWithFlysMessage() {
    ApplicationFailure failure = failureOf(() -> fly.direct.createApp(new CreateFlyAppRequest("no-such-org", REST)));

    assertThat(failure.getType()).isEqualTo("VENDOR_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("HTTP 404").contains("organization 'no-such-org' not found");
  }

  @Test
  void givenA422_whenAMachineIsCreated_itShouldBeRejectedWithoutRetryCarryingFlysMessage() {
    createApp();
    fly.sandbox.faults().failCall("Machines_create", 1, 422);
    FlyAppSpec rest = FlyFixture.exampleApps().get("rest");

    ApplicationFailure failure = failureOf(() -> fly.direct.deployApp(new DeployFlyAppRequest(REST, rest, Map.of())));

    assertThat(failure.getType()).isEqualTo("VENDOR_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("create machine of " + REST).contains("HTTP 422")
        .contains("injected failure of Machines_create (422)");
  }

  @Test
  void givenA503WithRetryAfter_whenCalled_itShouldBeRetriedAfterThatDelay() {
    createApp();
    fly.sandbox.faults().failCall("Apps_show", 2, 503);

    ApplicationFailure failure = failureOf(() -> fly.direct.createApp(new CreateFlyAppRequest(ORG, REST)));

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(FlySandbox.RETRY_AFTER_SECONDS));
  }

  @Test
  void givenA429FromGraphQl_whenTheOrganizationIsLookedUp_itShouldWaitItOutInTheCall() {
    fly.sandbox.faults().failCall("organization", 1, 429);

    FlyOrganization organization = fly.direct.ensureOrganization(new EnsureOrganizationRequest(ORG));

    assertThat(organization.created()).isTrue();
  }

  @Test
  void givenRepeated429s_whenTheirWaitsPassTheBoundOfACall_itShouldBeRetriedAfterTheRetryAfter() {
    fly.sandbox.faults().failCall("organization", 1, 429).failCall("organization", 2, 429);

    ApplicationFailure failure = failureOf(() -> fly.direct.ensureOrganization(new EnsureOrganizationRequest(ORG)));

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(FlySandbox.RETRY_AFTER_SECONDS));
  }

  @Test
  void givenA500_whenMachinesAreListed_itShouldBeRetriedWithTheDefaultBackoff() {
    createApp();
    fly.sandbox.faults().failCall("Machines_list", 1, 500);
    FlyAppSpec rest = FlyFixture.exampleApps().get("rest");

    ApplicationFailure failure = failureOf(() -> fly.direct.deployApp(new DeployFlyAppRequest(REST, rest, Map.of())));

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isNull();
  }

  @Test
  void givenA408_whenAnAppIsDestroyed_itShouldBeRetried() {
    createApp();
    fly.sandbox.faults().failCall("Apps_delete", 1, 408);

    ApplicationFailure failure = failureOf(() -> fly.direct.destroyApp(new DestroyFlyAppRequest(ORG, REST)));

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(fly.direct.destroyApp(new DestroyFlyAppRequest(ORG, REST)).alreadyGone()).as("the retry").isFalse();
  }

  @Test
  void givenNothingListens_whenCalled_itShouldBeRetriedAsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> environment = new HashMap<>(FlyFixture.environment(fly.sandbox, FlyFixture.TOKEN));
    environment.put(FlyActivitiesImpl.API_URL_VARIABLE, "http://127.0.0.1:" + closedPort);
    FlyActivitiesImpl unreachable = FlyFixture.fromEnvironment(environment, FlyFixture.FAST);

    ApplicationFailure failure = failureOf(() -> unreachable.createApp(new CreateFlyAppRequest(ORG, REST)));

    assertThat(failure.getType()).isEqualTo("VENDOR_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("get app " + REST).contains("I/O error");
    assertThat(failure.getCause()).isNotNull();
  }

  @Test
  void givenAWrongToken_whenCalled_itShouldBeRejectedAndNeitherMessagesNorLogsShouldHoldTheToken() throws IOException {
    String wrongToken = "fm2_d3JvbmctdG9rZW4tdGhhdC1tdXN0LW5vdC1sZWFr";
    Map<String, String> environment = new HashMap<>(FlyFixture.environment(fly.sandbox, wrongToken));
    FlyActivitiesImpl wrong = FlyFixture.fromEnvironment(environment, FlyFixture.FAST);
    PrintStream stderr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    ApplicationFailure org;
    ApplicationFailure app;
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      org = failureOf(() -> wrong.ensureOrganization(new EnsureOrganizationRequest(ORG)));
      app = failureOf(() -> wrong.createApp(new CreateFlyAppRequest(ORG, REST)));
      fly.direct.ensureOrganization(new EnsureOrganizationRequest(ORG));
      fly.direct.createApp(new CreateFlyAppRequest(ORG, REST));
      fly.direct.destroyApp(new DestroyFlyAppRequest(ORG, REST));
    } finally {
      System.setErr(stderr);
    }

    assertThat(List.of(org, app)).allSatisfy(failure -> {
      assertThat(failure.getType()).isEqualTo("VENDOR_REJECTED");
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("HTTP 401").contains("unauthorized");
      assertThat(everythingAbout(failure)).doesNotContain(wrongToken).doesNotContain(wrongToken.substring(4));
    });
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("Fly app " + REST + " destroyed")
        .doesNotContain(wrongToken).doesNotContain(tokenParts());
  }

  @Test
  void givenAMacaroonToken_itShouldAuthorizeWithTheFlyV1Scheme() {
    FlyToken token = FlyToken.of(FlyFixture.TOKEN);

    assertThat(token.authorization()).isEqualTo("FlyV1 " + FlyFixture.TOKEN);
    assertThat(fly.direct.ensureOrganization(new EnsureOrganizationRequest(ORG)).created())
        .as("the sandbox accepts a macaroon only as FlyV1").isTrue();
  }

  @Test
  void givenAPersonalToken_itShouldAuthorizeWithTheBearerScheme() throws IOException {
    String personal = "personal-access-token-0123456789";
    try (FlyFixture bearer = FlyFixture.start(personal, personal)) {
      assertThat(FlyToken.of(personal).authorization()).isEqualTo("Bearer " + personal);
      assertThat(bearer.direct.ensureOrganization(new EnsureOrganizationRequest(ORG)).created()).isTrue();
    }
  }

  @Test
  void givenTextHoldingTheToken_whenMasked_itShouldHoldNoPartOfIt() {
    FlyToken token = FlyToken.of(FlyFixture.TOKEN);
    String[] parts = FlyFixture.TOKEN.split(",");

    String masked = token.mask("proxy said: bad header FlyV1 " + FlyFixture.TOKEN + " / " + parts[1]);

    assertThat(masked).doesNotContain(parts[0]).doesNotContain(parts[1]).contains(FlyToken.MASK);
    assertThat(token.toString()).doesNotContain(parts[0]);
  }

  @Test
  void givenRetryAfterAsAnHttpDate_whenRead_itShouldBeTheTimeUntilThen() {
    assertThat(FlyClient.retryAfter("Fri, 31 Dec 2100 23:59:59 GMT")).hasValueSatisfying(
        delay -> assertThat(delay).isGreaterThan(Duration.ofDays(365)));
    assertThat(FlyClient.retryAfter("7")).hasValue(Duration.ofSeconds(7));
    assertThat(FlyClient.retryAfter("soon")).isEmpty();
  }

  private void createApp() {
    fly.direct.ensureOrganization(new EnsureOrganizationRequest(ORG));
    fly.direct.createApp(new CreateFlyAppRequest(ORG, REST));
  }

  private ApplicationFailure failureOf(Runnable call) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, call::run);
    assertThat(failure).as("the call should have failed").isNotNull();
    seen.add(failure);
    return failure;
  }

  private static String[] tokenParts() {
    return FlyFixture.TOKEN.split(",");
  }

  /** The failure's message, causes and stack trace, as they would land in a workflow history. */
  private static String everythingAbout(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return failure + "\n" + text;
  }
}
