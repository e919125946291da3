package dev.silo.workflows.notify;

import java.util.Map;

/**
 * An incident to open through an incident webhook.
 *
 * @param url the incident webhook URL (a secret: never logged or put in a failure message)
 * @param title one line saying what broke
 * @param severity the receiver's severity name, such as {@code critical}
 * @param details the report: environment, version, trigger and its values; null means none
 * @param idempotencyKey created by the workflow and sent as the {@code Idempotency-Key} header, so
 *     a retry never opens a second incident
 */
public record IncidentRequest(
    String url, String title, String severity, Map<String, Object> details, String idempotencyKey) {}
