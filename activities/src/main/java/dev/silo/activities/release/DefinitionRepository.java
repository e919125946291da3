package dev.silo.activities.release;

import dev.silo.activities.git.VersionSource;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
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

  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private static final Logger log = LoggerFactory.getLogger(DefinitionRepository.class);

  private final VersionSource source;
  private final Path cache;

  /**
   * @param url the repository's path or URL, possibly with a user and password
   * @param cache the cache directory on the worker; created on first use
   */
  DefinitionRepository(String url, Path cache) {
    this.source = new VersionSource(url);
    this.cache = cache.toAbsolutePath().normalize();
  }

  /** The repository as it may be shown: without user or password. */
  String name() {
    return source.name();
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
        try (Git git = Git.wrap(repository)) {
          source.fetchInto(git);
        }
        ObjectId commit = source.resolve(repository, version);
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



}
