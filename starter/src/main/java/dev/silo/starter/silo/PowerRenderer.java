package dev.silo.starter.silo;

import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.power.PowerAction;
import dev.silo.workflows.power.PowerEntry;
import dev.silo.workflows.power.PowerReport;
import dev.silo.workflows.power.PowerStatus;

/** A power run's audit, for people: one line per action taken, then how it ended. */
final class PowerRenderer {

  private PowerRenderer() {}

  static String render(PowerReport report) {
    boolean done = report.status() == PowerStatus.DONE;
    String verb = report.action() == PowerAction.STOP ? "stop" : "start";
    StringBuilder text = new StringBuilder();
    text.append(done ? TextStyle.OK : TextStyle.FAIL).append(" silo ").append(verb).append(' ')
        .append(report.siloId()).append(": ").append(report.status())
        .append("\n  requested by  ").append(report.requester()).append(" (").append(report.signature().toLowerCase())
        .append(")\n  workflow      ").append(report.workflowId())
        .append("\n  run           ").append(report.runId())
        .append("\n  containers on ").append(report.dockerTaskQueue() == null ? "-" : report.dockerTaskQueue())
        .append("\n  from ").append(report.startedAt()).append(" to ").append(report.finishedAt());
    for (PowerEntry entry : report.entries()) {
      text.append("\n  ").append(entry.failed() ? TextStyle.FAIL : " ").append(' ').append(entry.at()).append("  ")
          .append(entry.system()).append("  ").append(entry.target()).append("  ").append(entry.outcome());
      if (entry.detail() != null) {
        text.append("  (").append(entry.detail()).append(')');
      }
    }
    if (report.problem() != null) {
      text.append("\n").append(report.problem());
    }
    return text.toString();
  }
}
