package dev.silo.starter.release;

import dev.silo.starter.command.DecisionHints;
import dev.silo.starter.output.DecisionLines;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.StepResult;
import dev.silo.workflows.signing.DecisionText;
import java.util.List;

/** Renders {@code silo release status}: each environment's holder and the deployments waiting on it. */
final class ReleaseStatusRenderer {

  /** How many of the holder's latest steps are shown. */
  private static final int LAST_STEPS = 3;

  private ReleaseStatusRenderer() {}

  static String render(ReleaseStatusCommand.ProjectReleases releases) {
    StringBuilder text = new StringBuilder();
    text.append("Releases of ").append(releases.project()).append(" by environment (")
        .append(String.join(" → ", EnvironmentDefinition.PROMOTION_ORDER)).append(")\n");
    for (ReleaseStatusCommand.EnvironmentQueue queue : releases.environments()) {
      text.append('\n').append(queue.environment()).append('\n');
      switch (queue.lock()) {
        case NO_DEPLOYMENT_YET -> text.append("  ").append(TextStyle.NONE).append(" no deployment yet\n");
        case UNAVAILABLE -> text.append("  ").append(TextStyle.WARN).append(" the queue could not be read (lock ")
            .append(queue.lockWorkflowId()).append("): ").append(queue.unavailable()).append('\n');
        case FREE -> text.append("  ").append(TextStyle.OK).append(" free: no deployment holds it\n");
        case HELD -> holder(text, releases.project(), queue.environment(), queue.holder());
      }
      waiting(text, queue.waiting());
    }
    if (!releases.complete()) {
      text.append("\nSome of it could not be read: see the ").append(TextStyle.WARN).append(" lines.\n");
    }
    return TextStyle.stripLines(text.toString());
  }

  private static void holder(StringBuilder text, String project, String environment,
      ReleaseStatusCommand.Holder holder) {
    EnvironmentProgress progress = holder.progress();
    String mark = progress == null ? TextStyle.WARN : TextStyle.mark(progress.status());
    text.append("  ").append(mark).append(" held by ").append(holder.workflowId()).append(": ")
        .append(holder.version()).append(", requested by ").append(holder.requester()).append(" at ")
        .append(TextStyle.time(holder.requestedAt())).append('\n');
    if (progress == null) {
      text.append("     its progress could not be read: ").append(holder.unavailable()).append('\n');
      return;
    }
    text.append("     ").append(progress.status());
    if (progress.stage() != null && !progress.status().isTerminal()) {
      text.append(", stage ").append(progress.stage().id());
    }
    text.append('\n');
    if (progress.status() == EnvironmentStatus.AWAITING_APPROVAL && progress.approval() != null) {
      ApprovalStanding approval = ApprovalStanding.of(progress.approval());
      text.append("     approval: ").append(approval.describe());
      if (progress.planHash() != null) {
        text.append("; plan ").append(DecisionText.shortHash(progress.planHash()));
      }
      text.append('\n');
      if (progress.approvalRules() != null) {
        text.append("     ").append(progress.approvalRules()).append('\n');
      }
      DecisionHints.commands(project, environment)
          .forEach(command -> text.append("       ").append(command).append('\n'));
    }
    if (progress.status() == EnvironmentStatus.AWAITING_DECISION && progress.decision() != null) {
      text.append("     watch window undecided: ").append(progress.decision().reason()).append("; rolls back at ")
          .append(progress.decision().deadline()).append('\n');
      progress.decision().readings().forEach(reading -> text.append("       ").append(reading.at()).append("  ")
          .append(reading.trigger()).append("  ").append(reading.outcome().id()).append("  ").append(reading.detail())
          .append('\n'));
      DecisionHints.watchCommands(project, environment, progress.decision())
          .forEach(command -> text.append("       ").append(command).append('\n'));
    }
    List<DecisionRecord> decisions = progress.decisions() == null ? List.of() : progress.decisions();
    if (!decisions.isEmpty()) {
      text.append("     decisions:\n");
      decisions.forEach(decision -> text.append("       ").append(DecisionLines.decisionLine(decision))
          .append('\n'));
    }
    List<StepResult> steps = progress.steps() == null ? List.of() : progress.steps();
    if (!steps.isEmpty()) {
      text.append("     last steps:\n");
      steps.subList(Math.max(0, steps.size() - LAST_STEPS), steps.size())
          .forEach(step -> text.append("       ").append(ReleaseReportRenderer.stepLine(step, null)).append('\n'));
    }
  }

  private static void waiting(StringBuilder text, List<ReleaseStatusCommand.Waiting> waiting) {
    if (waiting.isEmpty()) {
      return;
    }
    text.append("  waiting (").append(waiting.size()).append("):\n");
    for (ReleaseStatusCommand.Waiting entry : waiting) {
      text.append("     ").append(entry.position()).append(". ").append(TextStyle.WAIT).append(' ')
          .append(entry.workflowId()).append(": ").append(entry.version()).append(", requested by ")
          .append(entry.requester()).append(" at ").append(TextStyle.time(entry.requestedAt()))
          .append(", waiting on ").append(entry.waitingOn()).append('\n');
    }
  }
}
