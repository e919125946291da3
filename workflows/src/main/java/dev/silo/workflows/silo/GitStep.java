package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.git.PushBranchRequest;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Step 4: the silo branch from {@code main}. A branch that already exists at another commit is
 * force-pushed only after a person confirms it, and only if it has not moved since (a lease).
 */
final class GitStep implements SiloStep<BranchResult> {

  /**
   * Marks the runs that judge a push answered {@code ALREADY_AT_COMMIT} against the branch status
   * they recorded before pushing: a retried push finds the branch where the lost attempt put it.
   */
  static final String PUSH_OUTCOME_FROM_STATUS = "git-push-outcome-from-status";

  /**
   * Marks the runs whose push, once sent, runs to its end even when the run stops meanwhile (a
   * step beside it failed, or an operator cancelled): the branch it leaves is then in the results
   * and the report, never on the remote unreported.
   */
  static final String PUSH_RUNS_TO_ITS_END = "git-push-runs-to-its-end";

  /** The base branch every silo branch is made from. */
  static final String BASE_BRANCH = "main";

  static final StepKey<BranchResult> BRANCH = StepKey.of(StepName.GIT, BranchResult.class);

  private final GitActivities git = Workflow.newActivityStub(GitActivities.class, SiloActivityOptions.GIT);
  private final SiloNames names;
  private final DecisionInbox inbox;
  private final Duration confirmationTimeout;

  GitStep(SiloNames names, DecisionInbox inbox, Duration confirmationTimeout) {
    this.names = names;
    this.inbox = inbox;
    this.confirmationTimeout = confirmationTimeout;
  }

  @Override
  public StepKey<BranchResult> produces() {
    return BRANCH;
  }

  @Override
  public List<StepKey<?>> needs() {
    return List.of(ValidateStep.VALIDATED);
  }

  @Override
  public String starting(StepResults results) {
    return "pushing " + names.branch();
  }

  @Override
  public BranchResult run(StepResults results, StepContext context) {
    return Failures.orStepFailure(this::push,
        message -> new StepFailure(StepName.GIT, "the Git branch could not be pushed: " + message));
  }

  @Override
  public String finished(BranchResult result) {
    return result.branch() + " " + result.outcome();
  }

  private BranchResult push() {
    String branch = names.branch();
    BranchStatus status = git.getBranchStatus(new BranchRequest(branch, BASE_BRANCH));
    if (!status.needsOverwrite()) {
      return judged(status, pushed(new PushBranchRequest(branch, BASE_BRANCH, false, null)));
    }
    String question = "branch " + branch + " exists at " + shortCommit(status.commit()) + ", not at "
        + BASE_BRANCH + " (" + shortCommit(status.baseCommit()) + "): overwrite it?";
    Boolean confirmed = inbox.ask(StepName.GIT, SiloStatus.AWAITING_BRANCH_CONFIRMATION,
        DecisionInbox.Question.BRANCH_OVERWRITE, SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, question,
        confirmationTimeout);
    if (confirmed == null) {
      throw new StepFailure(StepName.GIT, "branch " + branch + " exists at another commit and nobody confirmed"
          + " the overwrite within " + confirmationTimeout);
    }
    if (!confirmed) {
      throw StepFailure.declined(StepName.GIT, "the overwrite of branch " + branch + " was declined");
    }
    return judged(status, pushed(new PushBranchRequest(branch, BASE_BRANCH, true, status.commit())));
  }

  /**
   * The push, outside the step's cancellation once it is sent: Fly failing beside it, or an
   * operator cancelling, must not leave a branch on the remote that the run never heard of.
   */
  private BranchResult pushed(PushBranchRequest request) {
    if (Workflow.getVersion(PUSH_RUNS_TO_ITS_END, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return git.pushBranch(request);
    }
    BranchResult[] result = new BranchResult[1];
    Workflow.newDetachedCancellationScope(() -> result[0] = git.pushBranch(request)).run();
    return result[0];
  }

  /**
   * The push's outcome as this run caused it. The status was read and recorded before the push, so
   * a branch it saw absent (or at another commit) that the push then finds at the base commit was
   * put there by this run: by an attempt of this push whose answer was lost, whose retry found the
   * branch done. It is reported created (or overwritten, over the commit the status saw), not
   * {@code ALREADY_AT_COMMIT}. (Someone pushing the very same commit in the moment between the read
   * and the push would look the same; the remote keeps nothing that tells the two apart.) Runs that
   * started before this change report the push's own answer.
   */
  private static BranchResult judged(BranchStatus before, BranchResult pushed) {
    if (pushed.outcome() != BranchOutcome.ALREADY_AT_COMMIT
        || (before.exists() && !before.needsOverwrite())) {
      return pushed;
    }
    if (Workflow.getVersion(PUSH_OUTCOME_FROM_STATUS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return pushed;
    }
    return before.exists()
        ? new BranchResult(pushed.branch(), pushed.commit(), before.commit(), BranchOutcome.OVERWRITTEN)
        : new BranchResult(pushed.branch(), pushed.commit(), null, BranchOutcome.CREATED);
  }

  private static String shortCommit(String commit) {
    return commit == null ? "?" : commit.substring(0, Math.min(12, commit.length()));
  }
}
