package dev.silo.workflows.decision;

import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact {@code silo} commands that answer a question a run waits for, as the CLI prints them
 * under a waiting run and as the notifications that a person is needed name them. They sign with
 * the sender's SSH key, so they name no one: the run records the principal the key maps to.
 */
public final class AnswerCommands {

  /** How the commands above it sign, for the line under them. */
  public static final String SIGNING =
      "(signed with your SSH key: --key FILE or the ssh-agent; --unsigned --as NAME where the worker has no"
          + " allowed-signers file)";

  private AnswerCommands() {}

  /** The commands that answer the silo deployment's question asked through {@code signal}. */
  public static List<String> silo(String client, String app, String signal) {
    String silo = client + " " + app;
    return switch (signal) {
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
      case SiloDeploymentWorkflow.RETRY_STEP -> stepFailure(client, app, null);
      default -> List.of("send the signal '" + signal + "' from the Web UI");
    };
  }

  /**
   * The commands that answer a failed step under guided failure.
   *
   * @param skippable whether the failed step may be skipped (only the containers may); null when
   *     the caller does not know which step failed, and the skip is then offered for the containers only
   */
  public static List<String> stepFailure(String client, String app, Boolean skippable) {
    String silo = client + " " + app;
    List<String> commands = new ArrayList<>();
    commands.add("silo retry-step " + silo + " [--comment TEXT]   (runs the step again)");
    if (skippable == null) {
      commands.add("silo skip-step " + silo + " --comment TEXT   (only when the containers failed: goes on without them)");
    } else if (skippable) {
      commands.add("silo skip-step " + silo + " --comment TEXT   (goes on without the failed containers)");
    }
    commands.add("silo abort " + silo + " --comment TEXT   (ends the run: rollback, desk error)");
    commands.add(SIGNING);
    return List.copyOf(commands);
  }

  /** The commands that approve or reject the deployment holding an environment. */
  public static List<String> release(String project, String environment) {
    String target = project + " " + environment;
    return List.of(
        "silo release approve " + target + " [--comment TEXT]",
        "silo release reject " + target + " --comment TEXT",
        SIGNING);
  }

  /** The commands that accept or roll back a version whose watch window could not decide. */
  public static List<String> watch(String project, String environment) {
    String target = project + " " + environment;
    return List.of(
        "silo release approve " + target + " [--comment TEXT]   (accepts the version)",
        "silo release reject " + target + " --comment TEXT   (rolls it back)",
        SIGNING);
  }
}
