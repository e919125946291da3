package dev.silo.starter.command;

import dev.silo.workflows.decision.AnswerCommands;
import dev.silo.workflows.decision.PendingDecision;
import dev.silo.workflows.release.PendingWatchDecision;
import dev.silo.workflows.silo.SiloNames;
import java.util.List;

/**
 * The exact commands that answer a decision a run waits for, the same ones the notifications that
 * a person is needed name ({@link AnswerCommands}). They sign with the sender's SSH key, so they
 * name no one: the run records the principal the key maps to.
 */
public final class DecisionHints {

  /** How the commands above it sign, for the line under them. */
  public static final String SIGNING = AnswerCommands.SIGNING;

  private DecisionHints() {}

  public static List<String> commands(SiloNames names, PendingDecision pending) {
    return AnswerCommands.silo(names.client(), names.app(), pending.signal());
  }

  /**
   * The commands that answer a failed step under guided failure; skip only where the step may be
   * skipped (the containers).
   */
  public static List<String> stepFailureCommands(SiloNames names, boolean skippable) {
    return AnswerCommands.stepFailure(names.client(), names.app(), skippable);
  }

  /** The commands that approve or reject the deployment holding an environment. */
  public static List<String> commands(String project, String environment) {
    return AnswerCommands.release(project, environment);
  }

  /** The commands that accept or roll back a version whose watch window could not decide. */
  public static List<String> watchCommands(String project, String environment, PendingWatchDecision pending) {
    return AnswerCommands.watch(project, environment);
  }
}
