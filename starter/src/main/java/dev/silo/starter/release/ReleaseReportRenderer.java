package dev.silo.starter.release;

import dev.silo.starter.output.DecisionLines;
import dev.silo.starter.output.TerminalText;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.release.ApprovalOutcome;
import dev.silo.workflows.release.ApprovalVerdict;
import dev.silo.workflows.release.BadVersion;
import dev.silo.workflows.release.EarlierDeployment;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseStatus;
import dev.silo.workflows.release.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Renders the final report of a promotion: the outcome, then each environment that started with
 * its approval, steps, rollback, backup and bad-version mark, then the environments not run.
 */
final class ReleaseReportRenderer {

  private ReleaseReportRenderer() {}

  static String render(ReleaseReport report, String workflowId) {
    StringBuilder text = new StringBuilder();
    text.append(TextStyle.mark(report.status())).append(" RELEASE ").append(headline(report.status())).append(" : ")
        .append(report.project()).append(' ').append(report.version()).append(" → ").append(report.target())
        .append('\n');
    text.append("  Workflow : ").append(workflowId).append('\n');
    text.append("  Commit : ").append(report.commit() == null ? "not resolved" : report.commit()).append('\n');
    text.append("  Requested by : ").append(report.requester()).append(report.automatic() ? " (automatic)" : "")
        .append('\n');
    if (report.reason() != null) {
      text.append("  Reason : ").append(TerminalText.escape(report.reason())).append('\n');
    }
    for (EarlierDeployment earlier : list(report.alreadyDeployed())) {
      text.append('\n').append(TextStyle.OK).append(' ').append(earlier.environment()).append(" : ")
          .append(earlier.line()).append('\n');
    }
    for (EnvironmentReport environment : list(report.environments())) {
      environment(text, environment);
    }
    List<String> notRun = list(report.notRun());
    if (!notRun.isEmpty()) {
      text.append('\n').append(TextStyle.NONE).append(" Not run : ").append(String.join(", ", notRun)).append('\n');
    }
    return TextStyle.stripLines(text.toString());
  }

  private static String headline(ReleaseStatus status) {
    return switch (status) {
      case SUCCEEDED -> "SUCCEEDED";
      case STOPPED -> "STOPPED";
      case INVALID -> "REFUSED";
      case SKIPPED -> "SKIPPED";
      case RUNNING -> "RUNNING";
    };
  }

  private static void environment(StringBuilder text, EnvironmentReport report) {
    text.append('\n').append(TextStyle.mark(report.status())).append(' ').append(report.environment()).append(" : ")
        .append(report.status()).append('\n');
    text.append("  Deployment : ").append(report.workflowId()).append('\n');
    if (report.startedAt() != null) {
      text.append("  Ran : ").append(TextStyle.time(report.startedAt())).append(" → ")
          .append(TextStyle.time(report.endedAt())).append(took(report.startedAt(), report.endedAt())).append('\n');
    }
    if (report.reason() != null) {
      text.append("  Reason : ").append(TerminalText.escape(report.reason())).append('\n');
    }
    text.append("  Approval : ").append(approval(report.approval())).append('\n');
    if (report.approvalRules() != null) {
      text.append("    ").append(report.approvalRules()).append('\n');
    }
    if (report.backupPath() != null) {
      text.append("  Backup : ").append(report.backupPath()).append('\n');
    }
    BadVersion mark = report.badVersion();
    if (mark != null && mark.bad()) {
      text.append("  Bad version : ").append(TextStyle.WARN).append(' ').append(mark.version())
          .append(" marked bad in ").append(mark.environment()).append(": ").append(TerminalText.escape(mark.reason()))
          .append(" (by ").append(mark.workflowId()).append(" at ").append(TextStyle.time(mark.markedAt()))
          .append(")\n");
    }
    steps(text, "Steps", list(report.steps()));
    steps(text, "Rollback", list(report.rollback()));
    List<DecisionRecord> decisions = list(report.decisions());
    if (!decisions.isEmpty()) {
      text.append("  Decisions :\n");
      decisions.forEach(decision -> text.append("    ").append(DecisionLines.decisionLine(decision)).append('\n'));
    }
  }

  /** How the approval gate ended: who approved out of whom, or why it did not pass. */
  static String approval(ApprovalOutcome approval) {
    if (approval == null) {
      return "not reached";
    }
    if (!approval.required() || approval.outcome() == ApprovalVerdict.NOT_REQUIRED) {
      return "not required";
    }
    StringBuilder line = new StringBuilder(approval.outcome().name());
    List<String> approvedBy = list(approval.approvedBy());
    if (!approvedBy.isEmpty()) {
      line.append(" by ").append(String.join(", ", approvedBy));
    }
    line.append(" (").append(approval.minApprovals()).append(" needed from ")
        .append(String.join(", ", list(approval.approvers()))).append(')');
    if (approval.note() != null && !approval.note().isBlank() && approval.outcome() != ApprovalVerdict.APPROVED) {
      line.append(": ").append(TerminalText.escape(approval.note()));
    }
    return line.toString();
  }

  private static void steps(StringBuilder text, String title, List<StepResult> steps) {
    if (steps.isEmpty()) {
      return;
    }
    text.append("  ").append(title).append(" :\n");
    steps.forEach(step -> text.append("    ").append(stepLine(step, "    ")).append('\n'));
  }

  /**
   * One step: outcome, stage, name, duration and what happened. A detail of several lines (an
   * output tail) continues on lines starting with {@code indent}, or, when {@code indent} is null,
   * is cut after its first line, marked with {@code …}.
   */
  static String stepLine(StepResult step, String indent) {
    StringBuilder line = new StringBuilder();
    line.append(TextStyle.mark(step.outcome())).append(' ').append(TextStyle.pad(step.stage().id(), 16))
        .append(TextStyle.pad(step.name(), 26)).append(TextStyle.pad(step.outcome().name(), 8))
        .append(TextStyle.pad(TextStyle.duration(Duration.ofMillis(step.durationMillis())), 8));
    if (step.detail() != null && !step.detail().isBlank()) {
      List<String> detail = step.detail().strip().lines().toList();
      line.append(detail.get(0));
      if (indent == null) {
        line.append(detail.size() > 1 ? " …" : "");
      } else {
        detail.subList(1, detail.size()).forEach(more -> line.append('\n').append(indent).append("     ").append(more));
      }
    }
    return line.toString().stripTrailing();
  }

  private static String took(String startedAt, String endedAt) {
    Instant start = TextStyle.instant(startedAt);
    Instant end = TextStyle.instant(endedAt);
    return start == null || end == null ? "" : " (" + TextStyle.duration(Duration.between(start, end)) + ")";
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
