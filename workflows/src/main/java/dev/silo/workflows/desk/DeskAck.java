package dev.silo.workflows.desk;

/**
 * @param tool the MCP tool that was called
 * @param idempotencyKey the key it was called with
 * @param duplicate whether the desk had already recorded that key (nothing new was written)
 */
public record DeskAck(String tool, String idempotencyKey, boolean duplicate) {}
