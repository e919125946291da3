package dev.silo.activities.release;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A project's release repository, fetched into a bare cache on the worker and read commit by commit
 * without a working tree.
 *
 * <p>This is the Git client boundary of the release activities: every JGit exception is classified
 * here, once, and no message carries the user or password of the repository's URL. The URL is given
 * to each fetch and never written to the cache's configuration. One fetch uses the cache at a time:
 * threads of this JVM queue on a lock per directory, processes on a file lock the operating system
 * releases when a process dies, which makes any lock file JGit left behind provably stale.
 */
final class DefinitionRepository {

  /** The bare repository's directory inside the cache directory. */
  private static final String REPOSITORY_DIRECTORY = "repository.git";

  /** Lives beside the repository, not in it, so that re-creating the repository keeps the lock. */
  private static final String LOCK_FILE = "cache.lock";

  /** Seconds JGit waits on a silent connection before the attempt fails and is retried. */
  private static final int TIMEOUT_SECONDS = 60;

  private static final String REMOTE_BRANCHES = "refs/remotes/origin/";

  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{7,40}");

  private static final List<String> AUTHENTICATION_FAILURES =
      List.of("not authorized", "authentication", "auth fail", "not permitted", "permission denied");

  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private static final Logger log = LoggerFactory.getLogger(DefinitionRepository.class);

  private final String url;
  private final Path cache;

  /**
   * @param url the repository's path or URL, possibly with a user and password
   * @param cache the cache directory on the worker; created on first use
   */
  DefinitionRepository(String url, Path cache) {
    this.url = url;
    this.cache = cache.toAbsolutePath().normalize();
  }

  /** The repository as it may be shown: without user or password. */
  String name() {
    return redact(url);
  }

  /**
   * Fetches every branch and tag, resolves the version to a commit and reads it.
   *
   * @param version a tag, a branch or a commit ID, in that order of precedence; a ref's full name
   *     ({@code refs/heads/x}) also works
   * @throws ApplicationFailure {@code NOT_FOUND} when the repository or the version does not exist,
   *     {@code VENDOR_REJECTED} when the server refuses the credentials, {@code INVALID_REQUEST} for
   *     an ambiguous commit ID, all not retried; {@code VENDOR_UNAVAILABLE} (retried) otherwise
   */
  <T> T read(String version, Function<CommitFiles, T> reader) {
    try {
      ReentrantLock threadLock =
          LOCKS.computeIfAbsent(
              Files.createDirectories(cache).toRealPath(), path -> new ReentrantLock());
      threadLock.lock();
      try (FileChannel channel =
              FileChannel.open(
                  cache.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock processLock = channel.lock();
          Repository repository = open()) {
        collectGarbageInTheForeground(repository);
        fetch(repository);
        ObjectId commit = resolve(repository, version);
        try (RevWalk walk = new RevWalk(repository)) {
          RevCommit parsed = walk.parseCommit(commit);
          return reader.apply(new CommitFiles(repository, parsed));
        }
      } finally {
        threadLock.unlock();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + version + " of " + name() + " in " + cache, e);
    }
  }

  private Repository open() throws IOException {
    Path gitDirectory = cache.resolve(REPOSITORY_DIRECTORY);
    if (Files.exists(gitDirectory)) {
      try {
        removeStaleLocks(gitDirectory);
        Repository repository =
            new FileRepositoryBuilder().setGitDir(gitDirectory.toFile()).setBare().setMustExist(true).build();
        try {
          // Reading every ref proves the ref database is readable before anything relies on it.
          repository.getRefDatabase().getRefs();
          return repository;
        } catch (IOException | RuntimeException e) {
          repository.close();
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        // A cache costs only a fetch to rebuild, so one that cannot be trusted is started over.
        log.warn("Re-creating the unreadable Git cache {}: {}", gitDirectory, e.toString());
        FileUtils.delete(gitDirectory.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
      }
    }
    Repository repository = new FileRepositoryBuilder().setGitDir(gitDirectory.toFile()).setBare().build();
    repository.create(true);
    return repository;
  }

  /**
   * Makes the automatic garbage collection after a fetch run in the fetching thread, while this
   * class holds its locks. Detached, it would run on after the locks are released and could lose
   * its lock files to {@link #removeStaleLocks} of the next fetch.
   */
  private static void collectGarbageInTheForeground(Repository repository) throws IOException {
    StoredConfig config = repository.getConfig();
    if (config.getBoolean(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTODETACH, true)) {
      config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
      config.save();
    }
  }

  private void fetch(Repository repository) {
    try (Git git = Git.wrap(repository)) {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(
              new RefSpec("+" + Constants.R_HEADS + "*:" + REMOTE_BRANCHES + "*"),
              new RefSpec("+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"))
          .setTagOpt(TagOpt.NO_TAGS)
          .setRemoveDeletedRefs(true)
          .setTimeout(TIMEOUT_SECONDS)
          .call();
    } catch (InvalidRemoteException e) {
      throw notFound("The repository " + name() + " does not exist or is not a Git repository");
    } catch (GitAPIException | JGitInternalException e) {
      throw classifyFetch(e);
    }
  }

  private ApplicationFailure classifyFetch(Exception e) {
    String message = "Could not fetch " + name() + ": " + redact(describe(e));
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NoRemoteRepositoryException) {
        return notFound(message);
      }
      String reason = String.valueOf(cause.getMessage()).replace(url, "").toLowerCase(Locale.ROOT);
      if (AUTHENTICATION_FAILURES.stream().anyMatch(reason::contains)) {
        return ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type());
      }
    }
    return ApplicationFailure.newFailure(message, FailureType.VENDOR_UNAVAILABLE.type());
  }

  private ObjectId resolve(Repository repository, String version) throws IOException {
    List<String> candidates;
    if (version.startsWith(Constants.R_HEADS)) {
      candidates = List.of(REMOTE_BRANCHES + version.substring(Constants.R_HEADS.length()));
    } else if (version.startsWith(Constants.R_TAGS)) {
      candidates = List.of(version);
    } else {
      candidates = List.of(Constants.R_TAGS + version, REMOTE_BRANCHES + version);
    }
    for (String candidate : candidates) {
      if (repository.exactRef(candidate) != null) {
        ObjectId commit = repository.resolve(candidate + "^{commit}");
        if (commit != null) {
          return commit;
        }
      }
    }
    if (COMMIT_ID.matcher(version).matches()) {
      try {
        ObjectId commit = repository.resolve(version + "^{commit}");
        if (commit != null) {
          return commit;
        }
      } catch (AmbiguousObjectException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "The commit ID " + version + " is ambiguous in " + name() + "; give more digits",
            FailureType.INVALID_REQUEST.type());
      } catch (MissingObjectException | IncorrectObjectTypeException | RevisionSyntaxException notACommit) {
        // Reported as not found below.
      }
    }
    throw notFound("The version " + version + " is not a tag, branch or commit of " + name());
  }

  /**
   * Deletes the lock files a process killed in the middle of a fetch leaves behind; JGit would
   * otherwise refuse every later update of the locked ref. Only safe because this thread holds both
   * the JVM lock and the file lock.
   */
  private static void removeStaleLocks(Path gitDirectory) throws IOException {
    List<Path> locks;
    try (Stream<Path> files = Files.walk(gitDirectory)) {
      locks = files.filter(path -> path.getFileName().toString().endsWith(".lock")).toList();
    }
    for (Path lock : locks) {
      Files.deleteIfExists(lock);
    }
  }

  /** Removes the user and password of a URL ({@code https://user:token@host/x.git}). */
  static String redact(String text) {
    return text.replaceAll("(?<=://)/*[^/@\\s]*@", "");
  }

  private static ApplicationFailure notFound(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.NOT_FOUND.type());
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(e.getMessage());
    return root == e || root.getMessage() == null || message.contains(root.getMessage())
        ? message
        : message + " (" + root.getMessage() + ")";
  }
}
