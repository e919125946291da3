package dev.silo.workflows.silo;

import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.git.PushBranchRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Step 4: the silo branch from {@code main}. A branch that already exists at another commit is
 * force-pushed only after a person confirms it, and only if it has not moved since (a lease).
 */
final class GitStep {

  private final GitActivities git = Workflow.newActivityStub(GitActivities.class, SiloActivityOptions.GIT);

  BranchResult run(SiloNames names, DecisionInbox inbox, Duration confirmationTimeout) {
    String branch = names.branch();
    try {
      BranchStatus status = git.getBranchStatus(new BranchRequest(branch, ValidateStep.BASE_BRANCH));
      if (!status.needsOverwrite()) {
        return git.pushBranch(new PushBranchRequest(branch, ValidateStep.BASE_BRANCH, false, null));
      }
      String question = "branch " + branch + " exists at " + shortCommit(status.commit()) + ", not at "
          + ValidateStep.BASE_BRANCH + " (" + shortCommit(status.baseCommit()) + "): overwrite it?";
      Boolean confirmed = inbox.ask(StepName.GIT, SiloStatus.AWAITING_BRANCH_CONFIRMATION,
          DecisionInbox.Question.BRANCH_OVERWRITE, SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, question,
          confirmationTimeout);
      if (confirmed == null) {
        throw new StepFailure(StepName.GIT, "branch " + branch + " exists at another commit and nobody confirmed"
            + " the overwrite within " + confirmationTimeout);
      }
      if (!confirmed) {
        throw new StepFailure(StepName.GIT, "the overwrite of branch " + branch + " was declined");
      }
      return git.pushBranch(new PushBranchRequest(branch, ValidateStep.BASE_BRANCH, true, status.commit()));
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      throw new StepFailure(StepName.GIT, "the Git branch could not be pushed: " + Failures.message(failure));
    }
  }

  private static String shortCommit(String commit) {
    return commit == null ? "?" : commit.substring(0, Math.min(12, commit.length()));
  }
}
