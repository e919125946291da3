package dev.silo.activities.release;

import dev.silo.activities.git.CacheRepository;
import dev.silo.activities.git.VersionSource;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A project's release repository, fetched into a bare cache on the worker and read commit by commit
 * without a working tree.
 *
 * <p>This is the Git client boundary of the release activities: every JGit exception is classified
 * here, once, and no message carries the user or password of the repository's URL. The URL is given
 * to each fetch and never written to the cache's configuration. One fetch uses the cache at a time
 * (see {@link CacheRepository}).
 */
final class DefinitionRepository {

  /** Seconds the question for the default branch waits on a silent connection. */
  private static final int TIMEOUT_SECONDS = 60;

  private final String url;
  private final VersionSource source;
  private final CacheRepository cache;

  /**
   * @param url the repository's path or URL, possibly with a user and password
   * @param cache the cache directory on the worker; created on first use
   */
  DefinitionRepository(String url, Path cache) {
    this.url = url;
    this.source = new VersionSource(url);
    this.cache = new CacheRepository(cache);
  }

  /** The repository as it may be shown: without user or password. */
  String name() {
    return source.name();
  }

  /** The repository's default branch, as its HEAD named it when the version was read. */
  record DefaultBranch(String name, CommitFiles files) {}

  /**
   * Fetches every branch and tag, resolves the version to a commit and reads it, together with the
   * commit the repository's default branch (the branch its HEAD points to) is at now.
   *
   * @param version a tag, a branch or a commit ID, in that order of precedence; a ref's full name
   *     ({@code refs/heads/x}) also works
   * @param reader receives the version's files and the default branch's; the default branch is empty
   *     when the repository's HEAD names no branch that exists
   * @throws ApplicationFailure {@code NOT_FOUND} when the repository or the version does not exist,
   *     {@code VENDOR_REJECTED} when the server refuses the credentials, {@code INVALID_REQUEST} for
   *     an ambiguous commit ID, all not retried; {@code VENDOR_UNAVAILABLE} (retried) otherwise
   */
  <T> T read(String version, BiFunction<CommitFiles, Optional<DefaultBranch>, T> reader) {
    try {
      return cache.locked(repository -> {
        CacheRepository.collectGarbageInTheForeground(repository);
        try (Git git = Git.wrap(repository)) {
          source.fetchInto(git);
        }
        Optional<String> defaultBranch = defaultBranchName();
        ObjectId commit = source.resolve(repository, version);
        try (RevWalk walk = new RevWalk(repository)) {
          RevCommit parsed = walk.parseCommit(commit);
          Optional<DefaultBranch> branch = Optional.empty();
          if (defaultBranch.isPresent()) {
            ObjectId head = repository.resolve(VersionSource.REMOTE_BRANCHES + defaultBranch.get() + "^{commit}");
            if (head == null) {
              throw ApplicationFailure.newFailure("The default branch " + defaultBranch.get() + " of " + name()
                  + " appeared after the fetch", FailureType.VENDOR_UNAVAILABLE.type());
            }
            branch = Optional.of(new DefaultBranch(defaultBranch.get(),
                new CommitFiles(repository, walk.parseCommit(head))));
          }
          return reader.apply(new CommitFiles(repository, parsed), branch);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read " + version + " of " + name() + " in " + cache.directory(), e);
    }
  }

  /**
   * Reads one commit, fetching only when the cache does not hold it yet: a commit a release was
   * prepared from never changes, so the cache of the worker that prepared it usually has it.
   *
   * @param commitId the full commit ID
   * @throws ApplicationFailure {@code NOT_FOUND} (not retried) when the repository does not hold the
   *     commit after a fetch; as {@link #read} for a repository that cannot be fetched
   */
  <T> T readCommit(String commitId, Function<CommitFiles, T> reader) {
    ObjectId id;
    try {
      id = ObjectId.fromString(commitId);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("'" + commitId + "' is not a full commit ID",
          FailureType.INVALID_REQUEST.type());
    }
    try {
      return cache.locked(repository -> {
        if (!repository.getObjectDatabase().has(id)) {
          CacheRepository.collectGarbageInTheForeground(repository);
          try (Git git = Git.wrap(repository)) {
            source.fetchInto(git);
          }
          if (!repository.getObjectDatabase().has(id)) {
            throw ApplicationFailure.newNonRetryableFailure("The commit " + commitId + " is not in " + name()
                + " (no branch or tag reaches it any more)", FailureType.NOT_FOUND.type());
          }
        }
        try (RevWalk walk = new RevWalk(repository)) {
          return reader.apply(new CommitFiles(repository, walk.parseCommit(id)));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read commit " + commitId + " of " + name() + " in " + cache.directory(), e);
    }
  }

  /**
   * The branch the repository's HEAD points to, asked of the repository itself: a fetch does not
   * bring HEAD. Empty when HEAD is detached or names a branch that does not exist (an empty
   * repository, or one whose HEAD was never moved to the branch pushed).
   *
   * @throws ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried): the fetch just reached the
   *     repository, so a failure here is taken as passing
   */
  private Optional<String> defaultBranchName() {
    try {
      Ref head = Git.lsRemoteRepository().setRemote(url).setTimeout(TIMEOUT_SECONDS).callAsMap().get(Constants.HEAD);
      if (head == null || !head.isSymbolic() || !head.getTarget().getName().startsWith(Constants.R_HEADS)) {
        return Optional.empty();
      }
      return Optional.of(head.getTarget().getName().substring(Constants.R_HEADS.length()));
    } catch (GitAPIException | JGitInternalException e) {
      throw ApplicationFailure.newFailure("Could not read the default branch of " + name() + ": "
          + VersionSource.redact(VersionSource.describe(e)), FailureType.VENDOR_UNAVAILABLE.type());
    }
  }
}
