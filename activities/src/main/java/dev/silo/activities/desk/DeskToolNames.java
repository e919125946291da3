package dev.silo.activities.desk;


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

  private static void requireName(String name, String component) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("The desk tool name " + component + " is blank");
    }
  }
}
