package dev.silo.starter.release;

import dev.silo.starter.command.DecisionHints;
import dev.silo.starter.output.DecisionLines;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentSlot;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.ReleaseProgress;
import dev.silo.workflows.release.ReleaseStatus;
import dev.silo.workflows.release.Stage;
import dev.silo.workflows.release.StepResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns successive snapshots of a promotion and of its running deployment into one line per
 * change, for {@code silo release watch}: the promotion's status, an environment's status, each new
 * step, rollback step and decision of the deployment.
 */
final class ReleaseChanges {

  private final String project;
  private final Function<String, LockRequest> holderOf;
  private ReleaseStatus status;
  /** The last status printed per environment, from the promotion's slot or the deployment itself. */
  private final Map<String, EnvironmentStatus> printed = new HashMap<>();
  private final Map<String, Integer> stepsSeen = new HashMap<>();
  private final Map<String, Integer> rollbackSeen = new HashMap<>();
  private final Map<String, Integer> decisionsSeen = new HashMap<>();
  /** Environments followed while they ran whose final progress has been read once after they ended. */
  private final Set<String> settled = new HashSet<>();

  /**
   * @param project the project
   * @param holderOf the deployment holding an environment, or null when unknown; asked when a
   *     deployment starts waiting for the environment
   */
  ReleaseChanges(String project, Function<String, LockRequest> holderOf) {
    this.project = project;
    this.holderOf = holderOf;
  }

  /** The lines describing what changed in the promotion since the previous snapshot. */
  List<String> release(ReleaseProgress progress) {
    List<String> lines = new ArrayList<>();
    String releaseLine = null;
    if (progress.status() != status) {
      status = progress.status();
      releaseLine = env("release") + TextStyle.mark(status) + " " + status;
    }
    if (releaseLine != null && status == ReleaseStatus.RUNNING) {
      lines.add(releaseLine);
    }
    for (EnvironmentSlot slot : list(progress.environments())) {
      EnvironmentStatus previous = printed.get(slot.environment());
      if (slot.status() == previous || (previous == null && slot.status() == EnvironmentStatus.PENDING)) {
        continue;
      }
      if (slot.status() == EnvironmentStatus.RUNNING && previous != null && previous != EnvironmentStatus.PENDING) {
        // The deployment's own status (waiting, approval, watching) says more than the slot's RUNNING.
        continue;
      }
      printed.put(slot.environment(), slot.status());
      String what = slot.status() == EnvironmentStatus.RUNNING ? "started " + slot.workflowId()
          : slot.earlier() != null ? slot.earlier().line() : slot.status().name();
      lines.add(env(slot.environment()) + TextStyle.mark(slot.status()) + " " + what);
    }
    if (releaseLine != null && status != ReleaseStatus.RUNNING) {
      // How the promotion ended comes after how its last environment did.
      lines.add(releaseLine);
    }
    return lines;
  }

  /**
   * Whether the deployment of this slot is worth asking for its progress: while it runs, and once
   * more after it ended to print its last steps.
   */
  boolean follows(EnvironmentSlot slot) {
    if (slot.status() == EnvironmentStatus.RUNNING) {
      return true;
    }
    return slot.status().isTerminal() && stepsSeen.containsKey(slot.environment())
        && settled.add(slot.environment());
  }

  /**
   * The lines describing what changed in a deployment since its previous snapshot: new steps and
   * decisions, then the status it is in now. Steps and decisions carry no common clock; the
   * runbook puts the approval gate right after pre-flight, so they are printed in that order.
   */
  List<String> deployment(EnvironmentProgress progress) {
    String environment = progress.environment();
    List<String> lines = new ArrayList<>();
    List<StepResult> steps = unseen(environment, progress.steps(), stepsSeen);
    steps.stream().filter(step -> step.stage() == Stage.PRE_FLIGHT)
        .forEach(step -> lines.add(stepLine(environment, step)));
    unseen(environment, progress.decisions(), decisionsSeen)
        .forEach(decision -> lines.add(env(environment) + DecisionLines.decisionLine(decision)));
    steps.stream().filter(step -> step.stage() != Stage.PRE_FLIGHT)
        .forEach(step -> lines.add(stepLine(environment, step)));
    if (progress.report() != null) {
      unseen(environment, progress.report().rollback(), rollbackSeen)
          .forEach(step -> lines.add(stepLine(environment, step)));
    }
    if (!progress.status().isTerminal() && progress.status() != printed.get(environment)) {
      printed.put(environment, progress.status());
      lines.add(statusLine(progress));
      if (progress.status() == EnvironmentStatus.AWAITING_APPROVAL && progress.approval() != null) {
        DecisionHints.commands(project, environment)
            .forEach(command -> lines.add(" ".repeat(12) + command));
      }
      if (progress.status() == EnvironmentStatus.AWAITING_DECISION && progress.decision() != null) {
        DecisionHints.watchCommands(project, environment, progress.decision())
            .forEach(command -> lines.add(" ".repeat(12) + command));
      }
    }
    return lines;
  }

  private static String stepLine(String environment, StepResult step) {
    return env(environment) + ReleaseReportRenderer.stepLine(step, null);
  }

  private String statusLine(EnvironmentProgress progress) {
    StringBuilder line = new StringBuilder();
    line.append(env(progress.environment())).append(TextStyle.mark(progress.status())).append(' ')
        .append(progress.status());
    switch (progress.status()) {
      case WAITING_FOR_LOCK -> {
        LockRequest holder = progress.waitingOn() == null ? null : holderOf.apply(progress.environment());
        if (holder != null && !holder.workflowId().equals(progress.workflowId())) {
          line.append(": waiting on ").append(holder.workflowId()).append(" (").append(holder.version())
              .append(", requested by ").append(holder.requester()).append(')');
        } else if (progress.waitingOn() != null) {
          line.append(": waiting on ").append(progress.waitingOn());
        }
      }
      case AWAITING_APPROVAL -> {
        if (progress.approval() != null) {
          line.append(": ").append(ApprovalStanding.of(progress.approval()).describe());
        }
      }
      case AWAITING_DECISION -> {
        if (progress.decision() != null) {
          line.append(": ").append(progress.decision().reason()).append("; rolls back at ")
              .append(progress.decision().deadline());
        }
      }
      case RUNNING -> {
        if (progress.stage() != null) {
          line.append(", stage ").append(progress.stage().id());
        }
      }
      default -> {
        // WATCHING and ROLLING_BACK say all there is; their stages are named after them.
      }
    }
    return line.toString();
  }

  /** The entries added since the previous snapshot of the environment's list. */
  private static <T> List<T> unseen(String environment, List<T> entries, Map<String, Integer> seenSoFar) {
    List<T> all = list(entries);
    int seen = seenSoFar.getOrDefault(environment, 0);
    seenSoFar.put(environment, Math.max(seen, all.size()));
    return all.subList(Math.min(seen, all.size()), all.size());
  }

  /** The environment's column, wide enough for {@code staging}. */
  private static String env(String environment) {
    return TextStyle.pad(environment, 9);
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
