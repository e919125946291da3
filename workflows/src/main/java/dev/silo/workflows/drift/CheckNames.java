package dev.silo.workflows.drift;

import dev.silo.workflows.silo.SiloNames;

/**
 * The workflow IDs of a silo's drift checks. Every one starts with the silo's check schedule ID,
 * {@code silo-check-{client}-{app}}, so the Web UI lists a silo's checks together: a check started
 * by hand ends with {@code -manual-{suffix}}; the schedule's runs end with {@code -scheduled}, to
 * which Temporal appends the scheduled time.
 */
public final class CheckNames {

  /** The notification variable of the contract between helpers: unset, nothing is sent. */
  public static final String WEBHOOK_VARIABLE = "SILO_NOTIFY_WEBHOOK_URL";

  private CheckNames() {}

  /** The workflow ID of a check started by hand; {@code suffix} makes it unique. */
  public static String manualWorkflowId(SiloNames names, String suffix) {
    return names.checkScheduleId() + "-manual-" + suffix;
  }

  /** The workflow ID the schedule gives its action; each run's ID is this plus the scheduled time. */
  public static String scheduledWorkflowId(SiloNames names) {
    return names.checkScheduleId() + "-scheduled";
  }
}
