package dev.silo.workflows.silo;

import java.util.ArrayList;
import java.util.List;

/**
 * What the Service Desk acknowledged of one set of writes: the three records of a deployed silo,
 * or the status and event of a run that stopped. The report says from it what the desk holds.
 *
 * @param status the silo status the desk acknowledged ({@code active}, {@code error}), or null
 *     when the set writes none or the desk did not acknowledge it
 * @param event the event the desk acknowledged ({@code provisioned}, {@code error}, {@code
 *     aborted}, {@code cancelled}), or null
 * @param applicationUpdated whether the desk acknowledged the application's {@code silo} section
 * @param problem why a write of the set was not acknowledged, or null when every one was
 */
public record DeskOutcome(String status, String event, boolean applicationUpdated, String problem) {

  /** Whether the desk acknowledged every write of the set. */
  public boolean complete() {
    return problem == null;
  }

  /** The writes the desk acknowledged, for a person: e.g. {@code status error, event error}. */
  public String acknowledged() {
    List<String> parts = new ArrayList<>();
    if (status != null) {
      parts.add("status " + status);
    }
    if (event != null) {
      parts.add("event " + event);
    }
    if (applicationUpdated) {
      parts.add("application updated");
    }
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }
}
