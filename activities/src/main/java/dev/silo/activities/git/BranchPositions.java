package dev.silo.activities.git;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.git.BranchPosition;
import io.temporal.failure.ApplicationFailure;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Where a branch points relative to a recorded commit, for the drift check. The branch's head comes
 * from ls-remote; when it is not the recorded commit, the branch is fetched into the cache and its
 * history searched for the recorded commit. A recorded commit the cache does not hold after that
 * fetch is not in the branch's history.
 */
final class BranchPositions {

  private final GitRemote remote;
  private final CacheRepository cache;

  BranchPositions(GitRemote remote, CacheRepository cache) {
    this.remote = remote;
    this.cache = cache;
  }

  BranchPosition read(String branch, String recordedCommit) {
    if (recordedCommit == null || !ObjectId.isId(recordedCommit)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The recorded commit '" + recordedCommit + "' is not a full commit id", FailureType.INVALID_REQUEST.type());
    }
    ObjectId head = remote.heads().get(Constants.R_HEADS + branch);
    if (head == null) {
      return new BranchPosition(branch, false, null, false);
    }
    ObjectId recorded = ObjectId.fromString(recordedCommit);
    if (head.equals(recorded)) {
      return new BranchPosition(branch, true, head.name(), true);
    }
    boolean contains = cache.use(repository -> {
      ObjectId fetched = remote.fetch(repository, branch);
      try (RevWalk walk = new RevWalk(repository)) {
        return walk.isMergedInto(walk.parseCommit(recorded), walk.parseCommit(fetched));
      } catch (MissingObjectException notInHistory) {
        return false;
      }
    });
    return new BranchPosition(branch, true, head.name(), contains);
  }
}
