package dev.silo.workflows.notify;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Notifications and incidents over webhooks. Webhook URLs are secrets: failure messages and logs
 * show only their scheme and host.
 *
 * <p>Both methods classify the receiver's answer the same way: 2xx is success; a 4xx other than
 * 408/429 is {@code VENDOR_REJECTED}, not retried; 408, 429 and 5xx are {@code
 * VENDOR_UNAVAILABLE}, retried after {@code Retry-After} when the receiver sends one; I/O errors
 * are {@code VENDOR_UNAVAILABLE}, retried.
 */
@ActivityInterface
public interface NotifyActivities {

  /**
   * Posts a Slack-compatible message ({@code text} plus {@code blocks}). At least once: Slack's
   * incoming webhooks ignore the {@code Idempotency-Key} header, so a retry after a lost response
   * can post the message twice there; receivers that honour the key show it once.
   *
   * @throws io.temporal.failure.ApplicationFailure as above, and not retried: {@code
   *     INVALID_REQUEST} when neither a variable nor a URL is given or the URL is not http(s),
   *     {@code INVALID_CONFIG} when the named variable is not set on the worker
   */
  @ActivityMethod
  WebhookDelivery notify(NotifyRequest request);

  /**
   * Posts the incident as JSON with its {@code Idempotency-Key} header. Idempotent for receivers
   * that honour the key (incident tools do): a retry returns the incident the first call opened.
   *
   * @throws io.temporal.failure.ApplicationFailure as above, and {@code INVALID_REQUEST} (not
   *     retried) when the URL is not http(s) or the idempotency key is missing
   */
  @ActivityMethod
  WebhookDelivery openIncident(IncidentRequest request);
}
