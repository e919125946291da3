package dev.silo.workflows.desk;

import java.util.Map;

/**
 * @param client the client
 * @param app the app
 * @param silo the application's new {@code silo} section
 * @param idempotencyKey {@code {workflowId}:{step}}
 */
public record UpdateApplicationRequest(String client, String app, Map<String, Object> silo, String idempotencyKey) {}
