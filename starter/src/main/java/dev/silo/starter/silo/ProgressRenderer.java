package dev.silo.starter.silo;

import dev.silo.starter.command.DecisionHints;
import dev.silo.starter.output.DecisionLines;
import dev.silo.starter.output.TerminalText;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.decision.PendingDecision;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.silo.DegradedItem;
import dev.silo.workflows.silo.FailedStep;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloPlan;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.StepProgress;
import dev.silo.workflows.silo.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Renders {@code silo status}: steps, plan, the pending decision, degraded items, decisions. */
final class ProgressRenderer {

  private ProgressRenderer() {}

  static String render(SiloNames names, String runId, SiloProgress progress, Instant now) {
    StringBuilder text = new StringBuilder();
    text.append(TextStyle.mark(progress.status())).append(' ').append(names.workflowId())
        .append(" (run ").append(runId).append("): ").append(progress.status());
    if (progress.currentStep() != null && !progress.status().isFinal()) {
      List<String> running = running(progress.steps());
      text.append(running.size() > 1 ? ", steps " + String.join(", ", running) : ", step " + progress.currentStep());
    }
    text.append('\n');
    if (progress.report() != null && progress.report().failure() != null) {
      text.append("Failure: ").append(TerminalText.escape(progress.report().failure())).append('\n');
    }
    steps(text, progress.steps(), now);
    if (progress.plan() != null) {
      plan(text, progress.plan(), progress.planHash());
    }
    if (progress.pending() != null) {
      pending(text, names, progress.pending(), progress.failure());
    }
    degraded(text, progress.degraded());
    decisions(text, progress.decisions());
    if (progress.report() != null) {
      text.append("\nFull report: silo report ").append(names.client()).append(' ').append(names.app()).append('\n');
    }
    return TextStyle.stripLines(text.toString());
  }

  /** The steps running or waiting, in the runbook's order: several when steps run side by side. */
  private static List<String> running(List<StepProgress> steps) {
    if (steps == null) {
      return List.of();
    }
    return steps.stream()
        .filter(step -> step.state() == StepState.RUNNING || step.state() == StepState.WAITING)
        .map(step -> step.step().name())
        .toList();
  }

  private static void steps(StringBuilder text, List<StepProgress> steps, Instant now) {
    if (steps == null || steps.isEmpty()) {
      return;
    }
    text.append("\nSteps:\n");
    for (StepProgress step : steps) {
      text.append("  ").append(TextStyle.mark(step.state())).append(' ')
          .append(TextStyle.pad(step.step().name(), 9))
          .append(TextStyle.pad(step.state().name(), 10))
          .append(TextStyle.pad(TextStyle.elapsed(step, now), 8));
      if (step.detail() != null && !step.detail().isBlank()) {
        text.append(TerminalText.escape(step.detail()));
      }
      text.append('\n');
    }
  }

  private static void plan(StringBuilder text, SiloPlan plan, String planHash) {
    text.append("\nPlan for ").append(plan.siloId());
    if (plan.applicationName() != null) {
      text.append(" (").append(plan.applicationName()).append(')');
    }
    if (planHash != null) {
      text.append(", plan ").append(DecisionText.shortHash(planHash));
    }
    text.append(":\n");
    List<SiloPlan.PlannedContainer> containers = nonNull(plan.containers());
    text.append("  Docker containers (").append(containers.size()).append("), project ")
        .append(plan.composeProject()).append(" on task queue ").append(plan.dockerTaskQueue()).append(":\n");
    for (SiloPlan.PlannedContainer container : containers) {
      text.append("    • ").append(container.service()).append("  ").append(container.image());
      if (container.dependsOn() != null && !container.dependsOn().isEmpty()) {
        text.append("  (after ").append(String.join(", ", container.dependsOn())).append(')');
      }
      text.append('\n');
    }
    List<SiloPlan.PlannedFlyApp> apps = nonNull(plan.flyApps());
    text.append("  Fly.io organization ").append(plan.flyOrg()).append(", apps (").append(apps.size()).append("):\n");
    for (SiloPlan.PlannedFlyApp app : apps) {
      text.append("    • ").append(app.url()).append('\n');
    }
    List<String> migrations = nonNull(plan.migrations());
    text.append("  Migrations (").append(migrations.size()).append(')');
    text.append(migrations.isEmpty() ? "\n" : ": " + String.join(", ", migrations) + "\n");
    text.append("  Git branch ").append(plan.branch()).append(" from ").append(plan.baseBranch()).append('\n');
    Map<String, String> variables = plan.netlifyVariables() == null ? Map.of() : plan.netlifyVariables();
    text.append("  Netlify branch variables (").append(variables.size()).append("):\n");
    variables.forEach((name, value) -> text.append("    • ").append(name).append('=').append(value).append('\n'));
  }

  private static void pending(StringBuilder text, SiloNames names, PendingDecision pending, FailedStep failure) {
    if (failure != null) {
      text.append('\n').append(TextStyle.WARN).append(" Failed: ").append(failure.step()).append(" (")
          .append(failure.failureType()).append(", attempt ").append(failure.attempt()).append("): ")
          .append(TerminalText.escape(failure.message())).append('\n');
    }
    text.append('\n').append(TextStyle.WAIT).append(" Waiting for ").append(pending.signal()).append(": ")
        .append(pending.question());
    StringJoiner terms = new StringJoiner("; ", " (", ")").setEmptyValue("");
    if (pending.deadline() != null) {
      terms.add("until " + TextStyle.time(pending.deadline()));
    }
    if (pending.allowedActors() != null && !pending.allowedActors().isEmpty()) {
      terms.add("may answer: " + TerminalText.escape(String.join(", ", pending.allowedActors())));
    }
    text.append(terms).append('\n');
    List<String> commands = failure != null ? DecisionHints.stepFailureCommands(names, failure.skippable())
        : DecisionHints.commands(names, pending);
    for (String command : commands) {
      text.append("  ").append(command).append('\n');
    }
  }

  private static void degraded(StringBuilder text, List<DegradedItem> degraded) {
    if (degraded == null || degraded.isEmpty()) {
      return;
    }
    text.append("\nDegraded:\n");
    for (DegradedItem item : degraded) {
      text.append("  ").append(TextStyle.WARN).append(' ').append(item.step()).append(' ').append(item.item())
          .append(": ").append(TerminalText.escape(item.reason())).append('\n');
    }
  }

  static void decisions(StringBuilder text, List<DecisionRecord> decisions) {
    if (decisions == null || decisions.isEmpty()) {
      return;
    }
    text.append("\nDecisions:\n");
    for (DecisionRecord decision : decisions) {
      text.append("  ").append(DecisionLines.decisionLine(decision)).append('\n');
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
