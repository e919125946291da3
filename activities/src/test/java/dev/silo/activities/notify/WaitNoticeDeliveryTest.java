package dev.silo.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.activities.notify.WebhookReceiver.Received;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.notify.WaitNotifier;
import dev.silo.workflows.notify.WebhookDelivery;
import dev.silo.workflows.notify.WorkflowRun;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The "a person is needed" messages as a real HTTP receiver gets them: Slack's JSON with the run's
 * Web UI address, the idempotency key on every attempt, and nothing at all from a worker without
 * {@value WaitNotifier#WEBHOOK_VARIABLE}.
 */
class WaitNoticeDeliveryTest {

  private static final String KEY = "silo-acme-crm/3f1c/approval-1/asked";
  private static final WorkflowRun RUN = new WorkflowRun("default", "silo-acme-crm", "3f1c");

  private final ObjectMapper json = new ObjectMapper();
  private WebhookReceiver receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void givenTheWebhookAndTheUi_whenARunWaits_itShouldPostSlackJsonLinkingTheRunWithTheIdempotencyKey()
      throws Exception {
    NotifyActivitiesImpl activities = new NotifyActivitiesImpl(Map.of(
        WaitNotifier.WEBHOOK_VARIABLE, receiver.url("/hooks/T1/secret"),
        NotifyActivitiesImpl.UI_VARIABLE, "http://localhost:8233/"), new OkHttpClient());

    WebhookDelivery delivery = activities.notify(asked());

    assertThat(delivery.sent()).isTrue();
    Received request = receiver.received.get(0);
    assertThat(request.idempotencyKey()).isEqualTo(KEY);
    assertThat(request.contentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(json.readTree(request.body())).isEqualTo(json.readTree("""
        {
          "text": "*silo acme-crm* waits for a person: approve the deployment plan of acme-crm?",
          "blocks": [
            {"type": "section", "text": {"type": "mrkdwn",
              "text": "*silo acme-crm* waits for a person: approve the deployment plan of acme-crm?"}},
            {"type": "section", "fields": [
              {"type": "mrkdwn", "text": "*Workflow ID*\\nsilo-acme-crm"},
              {"type": "mrkdwn", "text": "*Who may answer*\\nbob, carol"},
              {"type": "mrkdwn", "text": "*Answer with*\\nsilo approve acme crm [--comment TEXT]"},
              {"type": "mrkdwn",
               "text": "*Web UI*\\nhttp://localhost:8233/namespaces/default/workflows/silo-acme-crm/3f1c/history"}
            ]}
          ]
        }"""));
  }

  @Test
  void givenAReceiverThatHonoursTheKey_whenTheActivityIsRetried_itShouldSendTheSameKeyAndBodySoItShowsOnce() {
    NotifyActivitiesImpl activities = new NotifyActivitiesImpl(
        Map.of(WaitNotifier.WEBHOOK_VARIABLE, receiver.url("/hooks/T1/secret")), new OkHttpClient());

    activities.notify(asked());
    activities.notify(asked());

    assertThat(receiver.received).hasSize(2);
    assertThat(receiver.received).extracting(Received::idempotencyKey).containsOnly(KEY);
    assertThat(receiver.received.get(1).body()).isEqualTo(receiver.received.get(0).body());
  }

  @Test
  void givenAWorkerWithoutTheWebhook_whenARunWaits_itShouldSendNothingAndNotFail() {
    NotifyActivitiesImpl activities = new NotifyActivitiesImpl(
        Map.of(NotifyActivitiesImpl.UI_VARIABLE, "http://localhost:8233"), new OkHttpClient());

    WebhookDelivery delivery = activities.notify(asked());

    assertThat(delivery).isEqualTo(WebhookDelivery.notConfigured());
    assertThat(delivery.sent()).isFalse();
    assertThat(receiver.received).isEmpty();
    assertThat(activities.waitNotices()).contains(WaitNotifier.WEBHOOK_VARIABLE + " is not set");
  }

  @Test
  void givenAPipelineNotifyStepWhoseVariableIsUnset_whenNotifying_itShouldStillFailAsAConfigProblem() {
    NotifyActivitiesImpl activities = new NotifyActivitiesImpl(Map.of(), new OkHttpClient());

    ApplicationFailure failure = catchThrowableOfType(() -> activities.notify(
        new NotifyRequest("SLACK_URL", null, "Rolled back", null, "k")), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("INVALID_CONFIG");
  }

  @Test
  void givenNoUiAddress_whenARunWaits_itShouldPostWithoutALinkAndTheWorkerShouldSaySo() throws Exception {
    NotifyActivitiesImpl activities = new NotifyActivitiesImpl(
        Map.of(WaitNotifier.WEBHOOK_VARIABLE, receiver.url("/hooks/T1/secret")), new OkHttpClient());

    activities.notify(asked());

    assertThat(json.readTree(receiver.received.get(0).body()).toString()).doesNotContain("Web UI");
    assertThat(activities.waitNotices()).contains("people are told through SILO_NOTIFY_WEBHOOK_URL",
        "SILO_UI_URL is not set");
  }

  private static NotifyRequest asked() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Workflow ID", "silo-acme-crm");
    fields.put("Who may answer", "bob, carol");
    fields.put("Answer with", "silo approve acme crm [--comment TEXT]");
    return new NotifyRequest(WaitNotifier.WEBHOOK_VARIABLE, null,
        "*silo acme-crm* waits for a person: approve the deployment plan of acme-crm?", fields, KEY, true, RUN);
  }
}
