package dev.silo.activities.notify;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.notify.IncidentRequest;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.notify.WebhookDelivery;
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
    HttpUrl url = webhookOf(request.webhookEnvVar(), request.url(), "notification");
    WebhookDelivery delivery = webhooks.post(
        "notify", url, SlackMessage.payload(request.text(), request.fields()), request.idempotencyKey());
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
