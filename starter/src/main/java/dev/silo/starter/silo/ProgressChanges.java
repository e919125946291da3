package dev.silo.starter.silo;

import dev.silo.starter.command.DecisionHints;
import dev.silo.starter.output.DecisionLines;
import dev.silo.starter.output.TerminalText;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.decision.PendingDecision;
import dev.silo.workflows.silo.DegradedItem;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.StepName;
import dev.silo.workflows.silo.StepProgress;
import dev.silo.workflows.silo.StepState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns successive progress snapshots into one line per change, for {@code silo watch}: a step's
 * state, the silo status, a decision asked for, a degraded item, a decision received.
 */
final class ProgressChanges {

  private final SiloNames names;
  private final Map<StepName, StepState> steps = new EnumMap<>(StepName.class);
  private SiloStatus status;
  private PendingDecision pending;
  private int degradedSeen;
  private int decisionsSeen;

  ProgressChanges(SiloNames names) {
    this.names = names;
  }

  /** The lines describing what changed since the previous snapshot. */
  List<String> next(SiloProgress progress) {
    List<String> lines = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (StepProgress step : list(progress.steps())) {
      StepState previous = steps.put(step.step(), step.state());
      if (previous == step.state() || (previous == null && step.state() == StepState.PENDING)) {
        continue;
      }
      if (step.state() == StepState.SKIPPED) {
        skipped.add(step.step().name());
      } else {
        lines.add(stepLine(step));
      }
    }
    if (!skipped.isEmpty()) {
      lines.add(TextStyle.mark(StepState.SKIPPED) + " skipped " + String.join(", ", skipped));
    }
    if (progress.status() != status) {
      status = progress.status();
      lines.add(TextStyle.mark(status) + " status " + status);
    }
    if (!Objects.equals(progress.pending(), pending)) {
      pending = progress.pending();
      if (pending != null) {
        lines.add(TextStyle.WAIT + " waiting for " + pending.signal() + ": " + pending.question());
        DecisionHints.commands(names, pending).forEach(command -> lines.add("     " + command));
      }
    }
    List<DegradedItem> degraded = list(progress.degraded());
    for (DegradedItem item : degraded.subList(Math.min(degradedSeen, degraded.size()), degraded.size())) {
      lines.add(TextStyle.WARN + " degraded " + item.step() + " " + item.item() + ": "
          + TerminalText.escape(item.reason()));
    }
    degradedSeen = Math.max(degradedSeen, degraded.size());
    List<DecisionRecord> decisions = list(progress.decisions());
    for (DecisionRecord decision : decisions.subList(Math.min(decisionsSeen, decisions.size()), decisions.size())) {
      lines.add(DecisionLines.decisionLine(decision));
    }
    decisionsSeen = Math.max(decisionsSeen, decisions.size());
    return lines;
  }

  private static String stepLine(StepProgress step) {
    String line = TextStyle.mark(step.state()) + " " + TextStyle.pad(step.step().name(), 9)
        + TextStyle.pad(step.state().name(), 10) + TextStyle.pad(TextStyle.elapsed(step, null), 8);
    return (step.detail() == null ? line : line + step.detail()).stripTrailing();
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
