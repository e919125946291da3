package dev.silo.workflows.notify;

/**
 * What a webhook receiver answered.
 *
 * @param status the HTTP status, 2xx; 0 when nothing was sent because the message was optional and
 *     the worker sets no webhook for it ({@link #notConfigured()})
 * @param reference the {@code id} the receiver returned in a JSON body (an incident's ID), or null
 */
public record WebhookDelivery(int status, String reference) {

  /** An optional message the worker had no webhook for: not sent, and not a failure. */
  public static WebhookDelivery notConfigured() {
    return new WebhookDelivery(0, null);
  }

  /** Whether the message reached a receiver. */
  public boolean sent() {
    return status != 0;
  }
}
