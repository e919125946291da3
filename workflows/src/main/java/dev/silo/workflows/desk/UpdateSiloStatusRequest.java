package dev.silo.workflows.desk;

import java.util.Map;

/**
 * @param client the client
 * @param app the app
 * @param status {@code active} or {@code error}
 * @param details the seed's details ({@code containers_count}, {@code docker_status}, {@code
 *     deployment_timestamp}, or the error)
 * @param idempotencyKey {@code {workflowId}:{step}}
 */
public record UpdateSiloStatusRequest(
    String client, String app, String status, Map<String, Object> details, String idempotencyKey) {}
