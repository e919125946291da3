package dev.silo.workflows.notify;

import java.util.Map;

/**
 * An incident to open through an incident webhook.
 *
 * @param webhookEnvVar the name of the worker's variable holding the incident webhook URL;
 *     preferred, since the URL is a secret that then never crosses workflow history. Null to use
 *     {@code url}.
 * @param url the incident webhook URL, used when {@code webhookEnvVar} is null (a secret: never
 *     logged or put in a failure message)
 * @param title one line saying what broke
 * @param severity the receiver's severity name, such as {@code critical}
 * @param details the report: environment, version, trigger and its values; null means none
 * @param idempotencyKey created by the workflow and sent as the {@code Idempotency-Key} header, so
 *     a retry never opens a second incident
 */
public record IncidentRequest(
    String webhookEnvVar,
    String url,
    String title,
    String severity,
    Map<String, Object> details,
    String idempotencyKey) {}
