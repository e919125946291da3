package dev.silo.starter.silo;

import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.drift.CheckNames;
import dev.silo.workflows.drift.DriftItem;
import dev.silo.workflows.drift.DriftReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** A drift check's report for people: one line per drifted item, then a summary line. */
final class DriftRenderer {

  private DriftRenderer() {}

  static String render(DriftReport report) {
    StringBuilder text = new StringBuilder("Drift check of " + report.siloId() + " (" + report.checkWorkflowId() + ")");
    switch (report.outcome()) {
      case NEVER_DEPLOYED -> {
        return text.append("\n").append(TextStyle.FAIL).append(" no deployment of ").append(report.siloId())
            .append(" completed DEPLOYED (workflow ").append(report.deploymentWorkflowId())
            .append("): nothing to compare with").toString();
      }
      case DEPLOYMENT_RUNNING -> {
        return text.append("\n").append(TextStyle.WAIT).append(" the deployment ").append(report.deploymentWorkflowId())
            .append(" is running: nothing was compared").toString();
      }
      default -> text.append(", against deployment run ").append(report.deploymentRunId());
    }
    for (DriftItem item : report.drift()) {
      text.append("\n").append(TextStyle.FAIL).append(" ").append(item.line());
    }
    for (String system : report.unreadable()) {
      text.append("\n").append(TextStyle.WARN).append(" could not read ").append(system);
    }
    for (String line : report.notCompared()) {
      text.append("\n").append(TextStyle.NONE).append(" not compared: ").append(line);
    }
    return text.append("\n").append(summary(report)).toString();
  }

  static String summary(DriftReport report) {
    if (report.drift().isEmpty()) {
      return report.unreadable().isEmpty()
          ? TextStyle.OK + " no drift: the silo matches its last deployment"
          : TextStyle.WARN + " no drift among what could be read; " + report.unreadable().size() + " system"
              + (report.unreadable().size() == 1 ? "" : "s") + " could not be read";
    }
    Map<String, Integer> bySystem = new LinkedHashMap<>();
    report.drift().forEach(item -> bySystem.merge(item.system(), 1, Integer::sum));
    StringBuilder systems = new StringBuilder();
    bySystem.forEach((system, count) -> systems.append(systems.isEmpty() ? "" : ", ").append(system).append(' ')
        .append(count));
    return TextStyle.FAIL + " " + report.drift().size() + " item" + (report.drift().size() == 1 ? "" : "s")
        + " drifted (" + systems + "); desk event " + (report.deskEventLogged() ? "logged" : "NOT logged")
        + "; notification " + (report.notified() ? "sent" : "not sent (" + CheckNames.WEBHOOK_VARIABLE
            + " unset on the worker, or the delivery failed)");
  }
}
