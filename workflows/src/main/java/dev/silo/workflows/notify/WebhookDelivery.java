package dev.silo.workflows.notify;

/**
 * What a webhook receiver answered.
 *
 * @param status the HTTP status, always 2xx
 * @param reference the {@code id} the receiver returned in a JSON body (an incident's ID), or null
 */
public record WebhookDelivery(int status, String reference) {}
