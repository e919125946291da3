package dev.silo.workflows.notify;

import java.util.Map;

/**
 * A message to a Slack-compatible incoming webhook.
 *
 * @param webhookEnvVar the name of the worker's variable holding the webhook URL; preferred, since
 *     the URL is a secret that then never crosses workflow history. Null to use {@code url}.
 * @param url the webhook URL, used when {@code webhookEnvVar} is null
 * @param text the message, Slack mrkdwn; also the notification's fallback text
 * @param fields shown as labelled fields under the message, in the map's order; null means none
 * @param idempotencyKey created by the workflow and sent as the {@code Idempotency-Key} header, so
 *     a receiver that honours it shows a retried message once
 * @param skipWhenUnset whether a worker that does not set {@code webhookEnvVar} skips the message
 *     ({@link WebhookDelivery#notConfigured()}) instead of failing {@code INVALID_CONFIG}: true for
 *     optional notices such as "a person is needed", false for a pipeline's own notify steps
 * @param run the run the message is about, linked to in the Web UI when the worker sets {@code
 *     SILO_UI_URL}; null for no link
 */
public record NotifyRequest(
    String webhookEnvVar, String url, String text, Map<String, Object> fields, String idempotencyKey,
    boolean skipWhenUnset, WorkflowRun run) {

  /** A message that fails when its variable is not set, without a link to the run. */
  public NotifyRequest(
      String webhookEnvVar, String url, String text, Map<String, Object> fields, String idempotencyKey) {
    this(webhookEnvVar, url, text, fields, idempotencyKey, false, null);
  }
}
