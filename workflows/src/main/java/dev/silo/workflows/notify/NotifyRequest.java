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
 */
public record NotifyRequest(
    String webhookEnvVar, String url, String text, Map<String, Object> fields, String idempotencyKey) {}
