package dev.silo.starter;

import dev.silo.workflows.release.PendingWatchDecision;
import dev.silo.workflows.silo.PendingDecision;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import java.util.List;

/** The exact commands that answer a decision a run waits for. */
final class DecisionHints {

  private DecisionHints() {}

  static List<String> commands(SiloNames names, PendingDecision pending) {
    String silo = names.client() + " " + names.app();
    String as = " --as " + actor(pending);
    return switch (pending.signal()) {
      case SiloDeploymentWorkflow.APPROVE, SiloDeploymentWorkflow.REJECT ->
          List.of(
              "silo approve " + silo + as + " [--comment TEXT]",
              "silo reject " + silo + as + " --comment TEXT");
      case SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE ->
          List.of(
              "silo confirm-branch-overwrite " + silo + as + " [--comment TEXT]",
              "silo reject " + silo + as + " --comment TEXT   (keeps the branch; the run ends in ERROR)");
      case SiloDeploymentWorkflow.RETRY_DESK -> List.of("silo retry-desk " + silo + as + " [--comment TEXT]");
      default -> List.of("send the signal '" + pending.signal() + "' from the Web UI");
    };
  }

  /** The commands that approve or reject the deployment holding an environment. */
  static List<String> commands(String project, String environment, ApprovalStanding approval) {
    List<String> left = approval.notYetApproved();
    String as = " --as " + (left.size() == 1 ? left.get(0) : "<NAME>");
    String target = project + " " + environment;
    return List.of(
        "silo release approve " + target + as + " [--comment TEXT]",
        "silo release reject " + target + as + " --comment TEXT");
  }

  /** The commands that accept or roll back a version whose watch window could not decide. */
  static List<String> watchCommands(String project, String environment, PendingWatchDecision pending) {
    List<String> deciders = pending.deciders();
    String as = " --as " + (deciders.size() == 1 ? deciders.get(0) : "<NAME>");
    String target = project + " " + environment;
    return List.of(
        "silo release approve " + target + as + " [--comment TEXT]   (accepts the version)",
        "silo release reject " + target + as + " --comment TEXT   (rolls it back)");
  }

  /** The one person who may answer, or a placeholder when several or anyone may. */
  private static String actor(PendingDecision pending) {
    List<String> allowed = pending.allowedActors();
    return allowed != null && allowed.size() == 1 ? allowed.get(0) : "<NAME>";
  }
}
