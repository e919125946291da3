package dev.silo.starter.silo;

import dev.silo.starter.command.Started;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.SiloTeardownRequest;
import dev.silo.workflows.silo.TeardownPlan;
import dev.silo.workflows.silo.TeardownReport;
import java.util.List;

/** The text {@code silo destroy} prints: the teardown's plan, and with {@code --follow} its report. */
final class TeardownRenderer {

  private TeardownRenderer() {}

  /** The plan as the requester reads it, with the commands that decide on it. */
  static String plan(SiloTarget target, SiloTeardownRequest request, String runId, String signedBy, TeardownPlan plan,
      String planHash) {
    StringBuilder text = new StringBuilder();
    text.append("Started the teardown of ").append(plan.siloId()).append(" (").append(plan.applicationName())
        .append(") requested by ").append(request.requester()).append(".\n")
        .append("  workflow  ").append(target.workflowId()).append('\n')
        .append("  run       ").append(runId).append('\n')
        .append("  signed    ").append(Started.signature(signedBy)).append('\n')
        .append("  plan      ").append(DecisionText.shortHash(planHash)).append('\n')
        .append("Plan:\n");
    plan.choices().forEach(choice -> text.append("  - ").append(choice).append('\n'));
    list(text, "containers", plan.containers());
    list(text, "volumes", plan.volumes());
    list(text, "Fly apps", plan.flyApps());
    text.append("Nothing is removed until someone other than the requester approves, within ")
        .append(TextStyle.duration(request.approval().timeout())).append(":\n")
        .append("  approve:  ").append(target.command("approve")).append(" [--comment TEXT]\n")
        .append("  reject:   ").append(target.command("reject")).append(" --comment TEXT\n")
        .append("  follow:   ").append(target.command("status"));
    return text.toString();
  }

  private static void list(StringBuilder text, String what, List<String> names) {
    text.append("  ").append(what).append(": ").append(names.isEmpty() ? "none" : String.join(", ", names))
        .append('\n');
  }

  /** The report of an ended teardown: its outcome, what went, what stayed. */
  static String report(TeardownReport report) {
    StringBuilder text = new StringBuilder(report.status() == SiloStatus.DESTROYED
        ? report.siloId() + " DESTROYED" : "TEARDOWN " + report.status() + ": " + report.error());
    text.append("\nRemoved: ").append(report.removed().isEmpty() ? "nothing" : String.join(", ", report.removed()));
    report.kept().forEach(kept -> text.append("\nKept: ").append(kept));
    return text.toString();
  }

}
