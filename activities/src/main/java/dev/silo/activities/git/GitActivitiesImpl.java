package dev.silo.activities.git;

import dev.silo.workflows.git.BranchPositionRequest;
import dev.silo.workflows.git.BranchPosition;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.git.PushBranchRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GitActivities} on the worker's Git remote, with JGit.
 *
 * <p>Branches are read with ls-remote, and a push first fetches the base branch into a local bare
 * cache so that JGit has the objects to send. Every push carries a lease (the commit the branch was
 * seen at, or "absent"), so the decision taken on what was read is never applied to a branch that
 * moved in between; the remote's answer for each ref is checked rather than assumed.
 *
 * <p>Safe for concurrent activities: their pushes share the cache, only a fetch uses it alone, and
 * it survives a worker killed half-way (see {@link CacheRepository}).
 */
public final class GitActivitiesImpl implements GitActivities {

  /** The Git remote: a URL (https, ssh, file) or a local path. */
  public static final String REMOTE_VARIABLE = "SILO_GIT_REMOTE";

  /** The user name offered with the token; defaults to {@value #DEFAULT_USERNAME}. */
  public static final String USERNAME_VARIABLE = "SILO_GIT_USERNAME";

  /** A token (or password) for an https remote; ssh remotes use the worker's ssh configuration. */
  public static final String TOKEN_VARIABLE = "SILO_GIT_TOKEN";

  /** The directory of the local cache; defaults to {@code silo-git-cache} in java.io.tmpdir. */
  public static final String CACHE_VARIABLE = "SILO_GIT_CACHE";

  /**
   * GitHub, GitLab and Gitea accept a token with any user name; this is the one GitHub documents
   * for tokens.
   */
  public static final String DEFAULT_USERNAME = "x-access-token";

  private static final String SILO_PREFIX = "silo/";

  /** Never pushed to, whatever the base branch of a request is. */
  private static final Set<String> PROTECTED_BRANCHES = Set.of("main", "master");

  private static final Logger log = LoggerFactory.getLogger(GitActivitiesImpl.class);

  private final GitRemote remote;
  private final CacheRepository cache;

  /**
   * @param remote a Git URL or local path; a relative path is taken from the working directory
   * @param credentials what to offer the remote, or null for none
   * @param cacheDirectory the local cache's directory, created when missing; may be shared with
   *     other instances and other workers on the same host
   * @throws IllegalArgumentException when {@code remote} is blank or not a Git URL or path
   */
  public GitActivitiesImpl(String remote, CredentialsProvider credentials, Path cacheDirectory) {
    this.remote = new GitRemote(remote, credentials);
    this.cache = new CacheRepository(cacheDirectory);
  }

  /** The activities on the worker's Git settings. */
  public GitActivitiesImpl(GitSettings settings) {
    this(settings.remote(), settings.token() == null ? null
        : new UsernamePasswordCredentialsProvider(settings.username(), settings.token().reveal()),
        settings.cacheDirectory());
  }

  @Override
  public BranchStatus getBranchStatus(BranchRequest request) {
    requireRefName(request.branch(), "branch");
    requireRefName(request.baseBranch(), "base branch");
    return readStatus(request.branch(), request.baseBranch());
  }

  @Override
  public BranchResult pushBranch(PushBranchRequest request) {
    String branch = request.branch();
    refuseUntouchable(branch, request.baseBranch());
    BranchStatus status = readStatus(branch, request.baseBranch());
    if (status.exists() && !status.needsOverwrite()) {
      return new BranchResult(
          branch, status.commit(), status.commit(), BranchOutcome.ALREADY_AT_COMMIT);
    }
    if (status.exists()) {
      requireConfirmedOverwrite(request, status);
    }
    // A branch that vanished since the overwrite was confirmed is simply created: nothing on it can
    // be lost any more, and the lease then becomes "must not exist".
    ObjectId expected = status.exists() ? ObjectId.fromString(status.commit()) : ObjectId.zeroId();
    // The push holds the cache shared, so the pushes of a fleet meet only on the rare fetch: one
    // runs when the cache does not hold the base at the commit ls-remote saw (see CacheRepository).
    ObjectId seen = ObjectId.fromString(status.baseCommit());
    return cache
        .read(repository -> pushIfCached(repository, request, status, expected, seen))
        .orElseGet(() -> fetchThenPush(request, status, expected, seen));
  }

  @Override
  public BranchResult deleteBranch(BranchRequest request) {
    String branch = request.branch();
    refuseUntouchable(branch, request.baseBranch());
    ObjectId current = remote.heads().get(Constants.R_HEADS + branch);
    if (current == null) {
      return new BranchResult(branch, null, null, BranchOutcome.ABSENT);
    }
    // Deleting is what teardown wants whatever the branch holds by now, so it carries no lease;
    // previousCommit is the commit seen just before.
    RemoteRefUpdate update =
        cache
            .read(repository -> Optional.of(remote.push(repository, branch, null, null)))
            .orElseGet(() -> cache.use(repository -> remote.push(repository, branch, null, null)));
    return switch (update.getStatus()) {
      case OK -> {
        log.info("Deleted {} (was at {}) on {}", branch, current.name(), remote.name());
        yield new BranchResult(branch, null, current.name(), BranchOutcome.DELETED);
      }
      case NON_EXISTING -> new BranchResult(branch, null, null, BranchOutcome.ABSENT);
      default -> throw remote.refused(branch, update);
    };
  }

  private Optional<BranchResult> pushIfCached(
      Repository repository,
      PushBranchRequest request,
      BranchStatus status,
      ObjectId expected,
      ObjectId seen)
      throws IOException {
    return GitRemote.cached(repository, request.baseBranch(), seen)
        .map(base -> push(repository, request, status, expected, base));
  }

  /**
   * Fetches the base branch into the cache, holding it alone, unless a push that held it just before
   * did so already; then pushes, sharing the cache again.
   */
  private BranchResult fetchThenPush(
      PushBranchRequest request, BranchStatus status, ObjectId expected, ObjectId seen) {
    String baseBranch = request.baseBranch();
    ObjectId base =
        cache.use(
            repository ->
                GitRemote.cached(repository, baseBranch, seen)
                    .orElseGet(() -> remote.fetch(repository, baseBranch)));
    return cache
        .read(repository -> Optional.of(push(repository, request, status, expected, base)))
        .orElseThrow(
            () ->
                ApplicationFailure.newFailure(
                    "The local Git cache " + cache.directory() + " vanished after a fetch",
                    FailureType.VENDOR_UNAVAILABLE.type()));
  }

  /**
   * Pushes {@code base}, which the cache must hold: the commit ls-remote saw when the cache holds
   * it, else the one just fetched, as the base may have moved in between.
   */
  private BranchResult push(
      Repository repository,
      PushBranchRequest request,
      BranchStatus status,
      ObjectId expected,
      ObjectId base) {
    String branch = request.branch();
    RemoteRefUpdate update = remote.push(repository, branch, base, expected);
    return switch (update.getStatus()) {
      case OK -> {
        BranchOutcome outcome = status.exists() ? BranchOutcome.OVERWRITTEN : BranchOutcome.CREATED;
        log.info(
            "Pushed {} at {} ({}, was {}) to {}",
            branch,
            base.name(),
            outcome,
            status.commit(),
            remote.name());
        yield new BranchResult(branch, base.name(), status.commit(), outcome);
      }
      // Someone else put the branch exactly where it had to go; that is the same end state.
      case UP_TO_DATE ->
          new BranchResult(branch, base.name(), base.name(), BranchOutcome.ALREADY_AT_COMMIT);
      case REJECTED_REMOTE_CHANGED ->
          throw conflict(
              "Branch "
                  + branch
                  + " on "
                  + remote.name()
                  + " moved while it was being pushed (it was "
                  + (status.exists() ? "at " + status.commit() : "absent")
                  + "); it needs to be inspected and confirmed again");
      default -> throw remote.refused(branch, update);
    };
  }

  private BranchStatus readStatus(String branch, String baseBranch) {
    Map<String, ObjectId> heads = remote.heads();
    ObjectId base = heads.get(Constants.R_HEADS + baseBranch);
    if (base == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Base branch " + baseBranch + " does not exist on " + remote.name(),
          FailureType.NOT_FOUND.type());
    }
    ObjectId commit = heads.get(Constants.R_HEADS + branch);
    return new BranchStatus(
        branch, commit != null, commit == null ? null : commit.name(), baseBranch, base.name());
  }

  private void requireConfirmedOverwrite(PushBranchRequest request, BranchStatus status) {
    if (!request.force()) {
      throw conflict(
          "Branch "
              + status.branch()
              + " exists at "
              + status.commit()
              + ", not at "
              + status.baseBranch()
              + "'s commit "
              + status.baseCommit()
              + "; overwriting it needs a confirmation, then a forced push expecting "
              + status.commit());
    }
    if (request.expectedCommit() == null || !ObjectId.isId(request.expectedCommit())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "A forced push of "
              + status.branch()
              + " needs expectedCommit, the full commit id the overwrite was confirmed for",
          FailureType.INVALID_REQUEST.type());
    }
    if (!ObjectId.fromString(request.expectedCommit()).name().equals(status.commit())) {
      throw conflict(
          "Branch "
              + status.branch()
              + " is at "
              + status.commit()
              + ", not at the confirmed "
              + request.expectedCommit()
              + "; it moved since, so overwriting it needs a new confirmation");
    }
  }

  /**
   * Refuses the branches this activity must never write to. Checked before any I/O, so a refused
   * request never reaches the remote.
   */
  private static void refuseUntouchable(String branch, String baseBranch) {
    requireRefName(branch, "branch");
    requireRefName(baseBranch, "base branch");
    String reason;
    if (PROTECTED_BRANCHES.contains(branch)) {
      reason = "is a protected branch";
    } else if (branch.equals(baseBranch)) {
      reason = "is the base branch";
    } else if (!branch.startsWith(SILO_PREFIX)) {
      reason = "is outside " + SILO_PREFIX;
    } else {
      return;
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "Refusing to change branch " + branch + ": it " + reason, FailureType.FORBIDDEN.type());
  }

  private static void requireRefName(String branch, String what) {
    if (branch == null || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The " + what + " '" + branch + "' is not a valid branch name",
          FailureType.INVALID_REQUEST.type());
    }
  }

  private static ApplicationFailure conflict(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.CONFLICT.type());
  }

  @Override
  public BranchPosition branchPosition(BranchPositionRequest request) {
    requireRefName(request.branch(), "branch");
    return new BranchPositions(remote, cache).read(request.branch(), request.recordedCommit());
  }
}
