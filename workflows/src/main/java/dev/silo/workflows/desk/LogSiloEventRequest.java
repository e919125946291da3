package dev.silo.workflows.desk;

import java.util.Map;

/**
 * @param client the client
 * @param app the app
 * @param event {@code provisioned}, {@code aborted}, {@code error}
 * @param actor who acts, {@code silo-manager}
 * @param details the event's details
 * @param idempotencyKey {@code {workflowId}:{step}}
 */
public record LogSiloEventRequest(
    String client, String app, String event, String actor, Map<String, Object> details, String idempotencyKey) {}
