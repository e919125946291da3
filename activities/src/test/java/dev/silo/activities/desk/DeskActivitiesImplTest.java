package dev.silo.activities.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.settings.WorkerSettings;
import dev.silo.sandbox.desk.DeskSandbox.SiloEvent;
import dev.silo.sandbox.desk.DeskSandbox.SiloStatus;
import dev.silo.sandbox.desk.DeskSandbox;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeskActivitiesImplTest {

  private static final String CLIENT = "acme";
  private static final String APP = "crm";
  private static final String WORKFLOW_ID = "silo-acme-crm";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private static final Map<String, Object> STATUS_DETAILS =
      Map.of(
          "containers_count", 7,
          "docker_status", "running",
          "deployment_timestamp", "2025-06-01T10:15:30Z");
  private static final Map<String, Object> EVENT_DETAILS =
      Map.of(
          "configs_applied", List.of("docker-compose", "fly", "netlify"),
          "fly_services", 6,
          "silo_branch", "silo/acme-crm",
          "silo_preview_url", "https://silo-acme-crm--abc123.netlify.app");
  private static final Map<String, Object> SILO_SECTION =
      Map.of(
          "silo_preview_url", "https://silo-acme-crm--abc123.netlify.app",
          "silo_deployed_at", "2025-06-01T10:15:30Z",
          "silo_status", "active",
          "silo_docker_status", "running",
          "silo_pg_url", "postgres://postgres@devenv-acme-crm-pg.fly.dev:5432/postgres",
          "silo_anon_key", "eyJhbGciOiJIUzI1NiJ9.anon.sig");

  private DeskSandbox desk;
  private DeskActivitiesImpl activities;

  @BeforeEach
  void startDesk() {
    desk = DeskSandbox.start().application(CLIENT, APP, "Acme CRM");
    activities = activities(desk, desk.apiKey(), REQUEST_TIMEOUT);
  }

  @AfterEach
  void stopDesk() {
    activities.close();
    desk.close();
  }

  @Test
  void givenASeededApplication_whenGetApplication_itShouldReturnItWithAnEmptySiloSection() {
    DeskApplication application = activities.getApplication(new GetApplicationRequest(CLIENT, APP));

    assertThat(application).isEqualTo(new DeskApplication(CLIENT, APP, "Acme CRM", Map.of()));
  }

  @Test
  void givenAnUnknownApplication_whenGetApplication_itShouldFailNotFoundWithoutRetry() {
    ApplicationFailure failure =
        failureOf(() -> activities.getApplication(new GetApplicationRequest(CLIENT, "erp")));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("acme/erp not found");
  }

  @Test
  void whenUpdateSiloStatus_itShouldSetTheStatusWithTheSeedsDetails() {
    DeskAck ack = activities.updateSiloStatus(activeStatus());

    assertThat(ack).isEqualTo(new DeskAck("update_silo_status", key("desk-status"), false));
    assertThat(desk.status(CLIENT, APP))
        .contains(new SiloStatus("active", STATUS_DETAILS, key("desk-status")));
  }

  @Test
  void whenLogSiloEvent_itShouldLogTheProvisionedEventBySiloManager() {
    DeskAck ack = activities.logSiloEvent(provisionedEvent());

    assertThat(ack).isEqualTo(new DeskAck("log_silo_event", key("desk-event"), false));
    assertThat(desk.events(CLIENT, APP))
        .containsExactly(
            new SiloEvent("provisioned", "silo-manager", EVENT_DETAILS, key("desk-event")));
  }

  @Test
  void whenUpdateApplication_itShouldWriteTheSiloSectionThatTheNextReadReturns() {
    DeskAck ack = activities.updateApplication(siloUpdate());

    assertThat(ack).isEqualTo(new DeskAck("applications.update", key("desk-application"), false));
    assertThat(desk.application(CLIENT, APP))
        .hasValueSatisfying(application -> assertThat(application.silo()).isEqualTo(SILO_SECTION));
    assertThat(activities.getApplication(new GetApplicationRequest(CLIENT, APP)).silo())
        .isEqualTo(SILO_SECTION);
  }

  @Test
  void givenTheSameEventTwiceWithOneKey_whenLogged_itShouldRecordOneEventAndAckADuplicate() {
    DeskAck first = activities.logSiloEvent(provisionedEvent());
    DeskAck second = activities.logSiloEvent(provisionedEvent());

    assertThat(first.duplicate()).isFalse();
    assertThat(second.duplicate()).isTrue();
    assertThat(desk.events(CLIENT, APP)).hasSize(1);
  }

  @Test
  void givenA503OnTheFirstCall_whenTheActivityRunsAgain_itShouldLogTheEventOnce() {
    desk.retryAfter(Duration.ofSeconds(2)).faults().failCall("log_silo_event", 1, 503);
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(activities);
      DeskActivities stub = environment.newActivityStub(DeskActivities.class, singleAttempt());

      ActivityFailure firstAttempt =
          catchThrowableOfType(ActivityFailure.class, () -> stub.logSiloEvent(provisionedEvent()));
      DeskAck secondAttempt = stub.logSiloEvent(provisionedEvent());

      assertThat(firstAttempt.getCause())
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
                assertThat(failure.isNonRetryable()).isFalse();
                assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(2));
              });
      assertThat(secondAttempt.duplicate()).isFalse();
      assertThat(desk.events(CLIENT, APP)).hasSize(1);
      assertThat(desk.callCount("log_silo_event")).isEqualTo(2);
    } finally {
      environment.close();
    }
  }

  @Test
  void givenAnAnswerSlowerThanTheTimeout_whenRetried_itShouldReconnectAndLogTheEventOnce()
      throws Exception {
    Duration latency = Duration.ofMillis(1300);
    activities.close();
    activities = activities(desk, desk.apiKey(), Duration.ofSeconds(1));
    desk.faults().latency("log_silo_event", latency);
    long start = System.nanoTime();

    ApplicationFailure timedOut = failureOf(() -> activities.logSiloEvent(provisionedEvent()));
    desk.faults().latency("log_silo_event", Duration.ZERO);
    activities.logSiloEvent(provisionedEvent());
    // The first call may still reach the desk after the retry; only then is "once" settled.
    Thread.sleep(Math.max(0, latency.toMillis() + 300 - (System.nanoTime() - start) / 1_000_000));

    assertThat(timedOut.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(timedOut.isNonRetryable()).isFalse();
    assertThat(timedOut.getOriginalMessage()).contains("no answer within 1s");
    assertThat(desk.events(CLIENT, APP)).hasSize(1);
  }

  @Test
  void givenAToolError_whenUpdateSiloStatus_itShouldFailVendorRejectedWithTheDesksMessage() {
    desk.failToolCall("update_silo_status", 1, "Silo acme-crm is locked by an operator");

    ApplicationFailure failure = failureOf(() -> activities.updateSiloStatus(activeStatus()));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("Silo acme-crm is locked by an operator");
    assertThat(desk.status(CLIENT, APP)).isEmpty();
  }

  @Test
  void givenAWrongKey_whenCalling_itShouldFailWithoutRetryAndTheKeyNowhereInTheFailure() {
    String wrongKey = "sk-desk-wrong-0123456789abcdef";
    activities.close();
    activities = activities(desk, wrongKey, REQUEST_TIMEOUT);

    ApplicationFailure failure = failureOf(() -> activities.logSiloEvent(provisionedEvent()));
    Failure recorded = DefaultDataConverter.STANDARD_INSTANCE.exceptionToFailure(failure);

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("401").contains("Invalid or missing API key");
    assertThat(recorded.toString()).doesNotContain(wrongKey).doesNotContain(desk.apiKey());
    assertThat(desk.events(CLIENT, APP)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void givenAStatusWithRetryAfter_whenCalling_itShouldFailRetryableAfterTheDesksDelay(int status) {
    desk.retryAfter(Duration.ofSeconds(7)).faults().failCall("applications.get", 1, status);

    ApplicationFailure failure =
        failureOf(() -> activities.getApplication(new GetApplicationRequest(CLIENT, APP)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
    assertThat(failure.getOriginalMessage()).contains("HTTP " + status);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 500, 502})
  void givenATransientStatus_whenCalling_itShouldFailRetryableWithThePolicysDelay(int status) {
    desk.faults().failCall("applications.get", 1, status);

    ApplicationFailure failure =
        failureOf(() -> activities.getApplication(new GetApplicationRequest(CLIENT, APP)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isNull();
    assertThat(activities.getApplication(new GetApplicationRequest(CLIENT, APP)).name())
        .isEqualTo("Acme CRM");
  }

  @ParameterizedTest
  @ValueSource(ints = {403, 409, 422})
  void givenAClientErrorStatus_whenCalling_itShouldFailVendorRejectedWithoutRetry(int status) {
    desk.faults().failCall("applications.update", 1, status);

    ApplicationFailure failure = failureOf(() -> activities.updateApplication(siloUpdate()));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("HTTP " + status).contains("Injected fault");
  }

  @Test
  void givenTheDeskIsDown_whenCalling_itShouldFailVendorUnavailableForRetry() {
    DeskSandbox stopped = DeskSandbox.start();
    stopped.close();
    try (DeskActivitiesImpl unreachable = activities(stopped, stopped.apiKey(), REQUEST_TIMEOUT)) {

      ApplicationFailure failure = failureOf(() -> unreachable.logSiloEvent(provisionedEvent()));

      assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(failure.getOriginalMessage()).contains("could not be reached");
    }
  }

  @Test
  void givenADeskWithOtherToolNames_whenConfiguredFromTheEnvironment_itShouldCallThoseTools() {
    try (DeskSandbox renamed =
            DeskSandbox.builder()
                .toolName(DeskSandbox.APPLICATIONS_GET, "apps_get")
                .toolName(DeskSandbox.UPDATE_SILO_STATUS, "silo_status_set")
                .toolName(DeskSandbox.LOG_SILO_EVENT, "silo_event_log")
                .toolName(DeskSandbox.APPLICATIONS_UPDATE, "apps_update")
                .start()
                .application(CLIENT, APP, "Acme CRM");
        DeskActivitiesImpl configured =
            new DeskActivitiesImpl(WorkerSettings.fromEnvironment(
                Map.of(
                    "SOMTECH_DESK_URL", renamed.url().toString(),
                    "SOMTECH_DESK_API_KEY", renamed.apiKey(),
                    "SOMTECH_DESK_TOOL_APPLICATIONS_GET", "apps_get",
                    "SOMTECH_DESK_TOOL_UPDATE_SILO_STATUS", "silo_status_set",
                    "SOMTECH_DESK_TOOL_LOG_SILO_EVENT", "silo_event_log",
                    "SOMTECH_DESK_TOOL_APPLICATIONS_UPDATE", "apps_update")).desk().orElseThrow())) {

      configured.getApplication(new GetApplicationRequest(CLIENT, APP));
      DeskAck status = configured.updateSiloStatus(activeStatus());
      configured.logSiloEvent(provisionedEvent());
      configured.updateApplication(siloUpdate());

      assertThat(status.tool()).isEqualTo("silo_status_set");
      assertThat(renamed.status(CLIENT, APP)).isPresent();
      assertThat(renamed.events(CLIENT, APP)).hasSize(1);
      assertThat(renamed.application(CLIENT, APP).orElseThrow().silo()).isEqualTo(SILO_SECTION);
      assertThat(renamed.callCount("apps_get")).isEqualTo(1);
    }
  }

  @Test
  void givenADeskWithOtherToolNames_whenCalledByTheDefaultNames_itShouldFailVendorRejected() {
    try (DeskSandbox renamed =
            DeskSandbox.builder().toolName(DeskSandbox.LOG_SILO_EVENT, "silo_event_log").start();
        DeskActivitiesImpl defaults = activities(renamed, renamed.apiKey(), REQUEST_TIMEOUT)) {

      ApplicationFailure failure = failureOf(() -> defaults.logSiloEvent(provisionedEvent()));

      assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("Tool not found: log_silo_event");
    }
  }

  @Test
  void givenADeskAnsweringTextOnly_whenCalling_itShouldReadTheTextAsJson() {
    try (DeskSandbox textOnly =
            DeskSandbox.builder().structuredAnswers(false).start().application(CLIENT, APP, "Acme");
        DeskActivitiesImpl reading = activities(textOnly, textOnly.apiKey(), REQUEST_TIMEOUT)) {

      DeskApplication application = reading.getApplication(new GetApplicationRequest(CLIENT, APP));
      reading.logSiloEvent(provisionedEvent());
      DeskAck again = reading.logSiloEvent(provisionedEvent());

      assertThat(application.name()).isEqualTo("Acme");
      assertThat(again.duplicate()).isTrue();
    }
  }

  @Test
  void givenNoIdempotencyKey_whenWriting_itShouldFailInvalidRequestBeforeCallingTheDesk() {
    ApplicationFailure failure =
        failureOf(
            () ->
                activities.logSiloEvent(
                    new LogSiloEventRequest(
                        CLIENT, APP, "provisioned", "silo-manager", EVENT_DETAILS, " ")));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(desk.callCount("log_silo_event")).isZero();
  }

  private static DeskActivitiesImpl activities(DeskSandbox desk, String key, Duration timeout) {
    return new DeskActivitiesImpl(
        new DeskClient(desk.url(), key, Duration.ofSeconds(2), timeout), DeskToolNames.DEFAULTS);
  }

  private static ActivityOptions singleAttempt() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  private static ApplicationFailure failureOf(ThrowingCallable call) {
    return catchThrowableOfType(ApplicationFailure.class, call);
  }

  private static String key(String step) {
    return WORKFLOW_ID + ":" + step;
  }

  private static UpdateSiloStatusRequest activeStatus() {
    return new UpdateSiloStatusRequest(CLIENT, APP, "active", STATUS_DETAILS, key("desk-status"));
  }

  private static LogSiloEventRequest provisionedEvent() {
    return new LogSiloEventRequest(
        CLIENT, APP, "provisioned", "silo-manager", EVENT_DETAILS, key("desk-event"));
  }

  private static UpdateApplicationRequest siloUpdate() {
    return new UpdateApplicationRequest(CLIENT, APP, SILO_SECTION, key("desk-application"));
  }
}
