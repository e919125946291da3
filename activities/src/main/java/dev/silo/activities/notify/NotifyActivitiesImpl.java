package dev.silo.activities.notify;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.notify.IncidentRequest;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.notify.WaitNotifier;
import dev.silo.workflows.notify.WebhookDelivery;
import dev.silo.workflows.notify.WorkflowRun;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link NotifyActivities} over HTTP with OkHttp; webhook URLs may come from the worker's environment. */
public final class NotifyActivitiesImpl implements NotifyActivities {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The worker's variable holding the Temporal Web UI's address ({@code http://localhost:8233}),
   * from which messages about a run link to it; optional.
   */
  public static final String UI_VARIABLE = "SILO_UI_URL";

  private static final Logger log = LoggerFactory.getLogger(NotifyActivitiesImpl.class);

  private final Map<String, String> workerEnvironment;
  private final WebhookClient webhooks;

  /**
   * @param workerEnvironment where {@link NotifyRequest#webhookEnvVar()} is looked up; the worker
   *     passes its own environment
   * @param http the worker's client; its connection pool is shared
   */
  public NotifyActivitiesImpl(Map<String, String> workerEnvironment, OkHttpClient http) {
    this.workerEnvironment = Map.copyOf(workerEnvironment);
    // Never resent by OkHttp itself, whatever client the worker passes: a delivery cut off after
    // the receiver got it would otherwise be posted twice. Retrying is Temporal's, with the key.
    this.webhooks = new WebhookClient(
        http.newBuilder().callTimeout(CALL_TIMEOUT).retryOnConnectionFailure(false).build());
  }

  /**
   * Whether the worker sets the variable to a non-blank value, so that a workflow can tell, before
   * it asks for a notification, whether one can be delivered.
   */
  public boolean webhookConfigured(String variable) {
    String url = workerEnvironment.get(variable);
    return url != null && !url.isBlank();
  }

  @Override
  public WebhookDelivery notify(NotifyRequest request) {
    if (request.text() == null || request.text().isBlank()) {
      throw invalid("The notification has no text");
    }
    if (request.skipWhenUnset() && request.webhookEnvVar() != null && unset(request.webhookEnvVar())) {
      log.debug("Not notified: {} is not set (key {})", request.webhookEnvVar().strip(), request.idempotencyKey());
      return WebhookDelivery.notConfigured();
    }
    HttpUrl url = webhookOf(request.webhookEnvVar(), request.url(), "notification");
    WebhookDelivery delivery = webhooks.post(
        "notify", url, SlackMessage.payload(request.text(), withRunLink(request)), request.idempotencyKey());
    log.info("Notified {} (key {})", WebhookClient.masked(url), request.idempotencyKey());
    return delivery;
  }

  @Override
  public WebhookDelivery openIncident(IncidentRequest request) {
    HttpUrl url = webhookOf(request.webhookEnvVar(), request.url(), "incident");
    if (request.title() == null || request.title().isBlank()) {
      throw invalid("The incident has no title");
    }
    if (request.idempotencyKey() == null || request.idempotencyKey().isBlank()) {
      throw invalid("The incident has no idempotency key, so a retry could open it twice");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", request.title());
    body.put("severity", request.severity());
    body.put("details", request.details() == null ? Map.of() : request.details());
    body.put("idempotency_key", request.idempotencyKey());
    WebhookDelivery delivery = webhooks.post("openIncident", url, body, request.idempotencyKey());
    log.info("Opened incident {} at {} (key {})", delivery.reference(), WebhookClient.masked(url),
        request.idempotencyKey());
    return delivery;
  }

  /**
   * The line the worker prints at start: whether people are told when a run waits for them, and
   * whether those messages link to the Web UI.
   */
  public String waitNotices() {
    if (unset(WaitNotifier.WEBHOOK_VARIABLE)) {
      return "notifications: " + WaitNotifier.WEBHOOK_VARIABLE + " is not set, so nobody is told when a run waits"
          + " for a person";
    }
    return "notifications: people are told through " + WaitNotifier.WEBHOOK_VARIABLE
        + " when a run waits for them, and how the wait ended; " + (webUi() == null
            ? UI_VARIABLE + " is not set (or not an http(s) URL), so the messages carry no Web UI link"
            : "messages link to the Web UI at " + webUi());
  }

  /** The request's fields, plus the run's Web UI address when the worker knows the UI. */
  private Map<String, Object> withRunLink(NotifyRequest request) {
    HttpUrl ui = webUi();
    WorkflowRun run = request.run();
    if (ui == null || run == null) {
      return request.fields();
    }
    Map<String, Object> fields = request.fields() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(request.fields());
    HttpUrl.Builder link = ui.newBuilder();
    if (!ui.pathSegments().isEmpty() && ui.pathSegments().get(ui.pathSegments().size() - 1).isEmpty()) {
      link.removePathSegment(ui.pathSegments().size() - 1);
    }
    fields.put("Web UI", link.addPathSegment("namespaces").addPathSegment(run.namespace())
        .addPathSegment("workflows").addPathSegment(run.workflowId()).addPathSegment(run.runId())
        .addPathSegment("history").build().toString());
    return fields;
  }

  private HttpUrl webUi() {
    String ui = workerEnvironment.get(UI_VARIABLE);
    return ui == null || ui.isBlank() ? null : HttpUrl.parse(ui.strip());
  }

  private boolean unset(String variable) {
    String value = workerEnvironment.get(variable.strip());
    return value == null || value.isBlank();
  }

  private HttpUrl webhookOf(String variable, String directUrl, String what) {
    if (variable == null || variable.isBlank()) {
      if (directUrl == null || directUrl.isBlank()) {
        throw invalid("The " + what + " names neither a worker variable holding the webhook URL nor a URL");
      }
      return WebhookClient.parse(directUrl, "The " + what + "'s webhook URL");
    }
    String url = workerEnvironment.get(variable.strip());
    if (url == null || url.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The worker does not set " + variable.strip() + ", the " + what + "'s webhook URL",
          FailureType.INVALID_CONFIG.type());
    }
    return WebhookClient.parse(url, "The webhook URL in " + variable.strip());
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
