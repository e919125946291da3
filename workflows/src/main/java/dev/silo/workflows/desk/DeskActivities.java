package dev.silo.workflows.desk;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The Somtech Service Desk, an MCP server ({@code SOMTECH_DESK_URL}; the key, {@code
 * SOMTECH_DESK_API_KEY}, lives in the worker only). Writes carry an idempotency key derived from
 * the workflow ID and step, so a retry or a re-run never records anything twice.
 */
@ActivityInterface
public interface DeskActivities {

  /**
   * Reads the application record ({@code applications.get}). Read-only.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOT_FOUND} (not retried) when the desk has
   *     no such application; {@code VENDOR_UNAVAILABLE} (retried) when it cannot be reached
   */
  @ActivityMethod
  DeskApplication getApplication(GetApplicationRequest request);

  /**
   * Sets the silo's status ({@code update_silo_status}). Idempotent through the key.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} when the tool result is
   *     an error; {@code VENDOR_UNAVAILABLE} (retried)
   */
  @ActivityMethod
  DeskAck updateSiloStatus(UpdateSiloStatusRequest request);

  /**
   * Logs an event on the silo ({@code log_silo_event}). Idempotent through the key.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link #updateSiloStatus}
   */
  @ActivityMethod
  DeskAck logSiloEvent(LogSiloEventRequest request);

  /**
   * Writes the application's {@code silo} section ({@code applications.update}). Idempotent: the
   * same section written twice leaves the same record.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link #updateSiloStatus}
   */
  @ActivityMethod
  DeskAck updateApplication(UpdateApplicationRequest request);
}
