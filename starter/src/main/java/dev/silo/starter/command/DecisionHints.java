package dev.silo.starter.command;

import dev.silo.workflows.decision.PendingDecision;
import dev.silo.workflows.release.PendingWatchDecision;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact commands that answer a decision a run waits for. They sign with the sender's SSH key,
 * so they name no one: the run records the principal the key maps to.
 */
public final class DecisionHints {

  /** How the commands above it sign, for the line under them. */
  public static final String SIGNING =
      "(signed with your SSH key: --key FILE or the ssh-agent; --unsigned --as NAME where the worker has no"
          + " allowed-signers file)";

  private DecisionHints() {}

  public static List<String> commands(SiloNames names, PendingDecision pending) {
    String silo = names.client() + " " + names.app();
    return switch (pending.signal()) {
      case SiloDeploymentWorkflow.APPROVE, SiloDeploymentWorkflow.REJECT ->
          List.of(
              "silo approve " + silo + " [--comment TEXT]",
              "silo reject " + silo + " --comment TEXT",
              SIGNING);
      case SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE ->
          List.of(
              "silo confirm-branch-overwrite " + silo + " [--comment TEXT]",
              "silo reject " + silo + " --comment TEXT   (keeps the branch; the run ends in ERROR)",
              SIGNING);
      case SiloDeploymentWorkflow.RETRY_DESK -> List.of("silo retry-desk " + silo + " [--comment TEXT]", SIGNING);
      case SiloDeploymentWorkflow.RETRY_STEP -> stepFailureCommands(names, true);
      default -> List.of("send the signal '" + pending.signal() + "' from the Web UI");
    };
  }

  /**
   * The commands that answer a failed step under guided failure; skip only where the step may be
   * skipped (the containers).
   */
  public static List<String> stepFailureCommands(SiloNames names, boolean skippable) {
    String silo = names.client() + " " + names.app();
    List<String> commands = new ArrayList<>();
    commands.add("silo retry-step " + silo + " [--comment TEXT]   (runs the step again)");
    if (skippable) {
      commands.add("silo skip-step " + silo + " --comment TEXT   (goes on without the failed containers)");
    }
    commands.add("silo abort " + silo + " --comment TEXT   (ends the run: rollback, desk error)");
    commands.add(SIGNING);
    return List.copyOf(commands);
  }

  /** The commands that approve or reject the deployment holding an environment. */
  public static List<String> commands(String project, String environment) {
    String target = project + " " + environment;
    return List.of(
        "silo release approve " + target + " [--comment TEXT]",
        "silo release reject " + target + " --comment TEXT",
        SIGNING);
  }

  /** The commands that accept or roll back a version whose watch window could not decide. */
  public static List<String> watchCommands(String project, String environment, PendingWatchDecision pending) {
    String target = project + " " + environment;
    return List.of(
        "silo release approve " + target + " [--comment TEXT]   (accepts the version)",
        "silo release reject " + target + " --comment TEXT   (rolls it back)",
        SIGNING);
  }
}
