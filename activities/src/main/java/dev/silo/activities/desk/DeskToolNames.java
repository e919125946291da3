package dev.silo.activities.desk;

import java.util.Map;

/**
 * The names under which the desk's MCP server exposes its tools. The defaults are the runbook's;
 * a desk that names them otherwise is configured per tool through the worker's environment:
 *
 * <ul>
 *   <li>{@code SOMTECH_DESK_TOOL_APPLICATIONS_GET} (default {@code applications.get})
 *   <li>{@code SOMTECH_DESK_TOOL_UPDATE_SILO_STATUS} (default {@code update_silo_status})
 *   <li>{@code SOMTECH_DESK_TOOL_LOG_SILO_EVENT} (default {@code log_silo_event})
 *   <li>{@code SOMTECH_DESK_TOOL_APPLICATIONS_UPDATE} (default {@code applications.update})
 * </ul>
 *
 * @param applicationsGet reads an application record
 * @param updateSiloStatus sets a silo's status
 * @param logSiloEvent logs an event on a silo
 * @param applicationsUpdate writes an application's fields (its {@code silo} section)
 */
public record DeskToolNames(
    String applicationsGet,
    String updateSiloStatus,
    String logSiloEvent,
    String applicationsUpdate) {

  /** The prefix of the variables that rename a tool. */
  public static final String VARIABLE_PREFIX = "SOMTECH_DESK_TOOL_";

  /** The runbook's names. */
  public static final DeskToolNames DEFAULTS =
      new DeskToolNames(
          "applications.get", "update_silo_status", "log_silo_event", "applications.update");

  public DeskToolNames {
    requireName(applicationsGet, "applicationsGet");
    requireName(updateSiloStatus, "updateSiloStatus");
    requireName(logSiloEvent, "logSiloEvent");
    requireName(applicationsUpdate, "applicationsUpdate");
  }

  /** The defaults, each replaced by its variable when that is set and not blank. */
  public static DeskToolNames fromEnvironment(Map<String, String> environment) {
    return new DeskToolNames(
        valueOf(environment, "APPLICATIONS_GET", DEFAULTS.applicationsGet),
        valueOf(environment, "UPDATE_SILO_STATUS", DEFAULTS.updateSiloStatus),
        valueOf(environment, "LOG_SILO_EVENT", DEFAULTS.logSiloEvent),
        valueOf(environment, "APPLICATIONS_UPDATE", DEFAULTS.applicationsUpdate));
  }

  private static String valueOf(Map<String, String> environment, String tool, String fallback) {
    String value = environment.get(VARIABLE_PREFIX + tool);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static void requireName(String name, String component) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("The desk tool name " + component + " is blank");
    }
  }
}
