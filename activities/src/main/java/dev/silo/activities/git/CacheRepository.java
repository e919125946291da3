package dev.silo.activities.git;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's local bare cache of a remote repository: the one the silo's base branches are fetched
 * into, so that pushes have the objects they send, and the one a release project's definitions are
 * read from. It is only a cache: whatever a crash leaves behind is cleaned up, and a repository that
 * can no longer be opened is thrown away and created anew.
 *
 * <p>Whoever writes it (a fetch, a garbage collection, the clean-up and re-creation below) holds
 * it alone; whoever only reads it (a push, which sends objects the cache holds and writes nothing
 * in it) shares it with the other readers. So the pushes of a fleet, which spend their time on the
 * network, run side by side, and only a fetch waits for the pushes in flight. Two reasons keep the
 * writers exclusive: concurrent fetches of one ref would race on its lock file, and JGit leaves a
 * ref it could not lock behind without failing; and a garbage collection must never remove what a
 * push is sending. Threads of this JVM and other processes queue alike (see {@link CacheLock}).
 * Holding the lock exclusively is what makes any lock file JGit left in the repository provably
 * stale: the process that left it is dead (the operating system released its file lock), and no
 * reader makes lock files.
 */
public final class CacheRepository {

  /** Work on the cache's repository, which may fail with an I/O error. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Repository repository) throws IOException;
  }

  /** The bare repository's directory inside the cache directory. */
  static final String REPOSITORY_DIRECTORY = "repository.git";

  private static final Logger log = LoggerFactory.getLogger(CacheRepository.class);

  private final Path directory;

  /** @param directory the cache directory; created on first use */
  public CacheRepository(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** The cache directory, absolute. */
  public Path directory() {
    return directory;
  }

  /**
   * Runs {@code work} on the repository while no other thread or process uses it, creating the
   * repository or re-creating it when it cannot be opened.
   *
   * @throws ApplicationFailure {@code VENDOR_UNAVAILABLE} (retryable) when the cache cannot be
   *     created, locked or opened, for instance on a full disk
   */
  <T> T use(Work<T> work) {
    try {
      return locked(work);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "The local Git cache " + directory + " is unusable: " + e,
          FailureType.VENDOR_UNAVAILABLE.type());
    }
  }

  /**
   * Runs {@code work} on the repository while no other thread or process uses it, leaving the
   * classification of I/O errors, the cache's own and the work's, to the caller.
   *
   * @throws IOException when the cache cannot be created, locked or opened, or the work fails so
   */
  public <T> T locked(Work<T> work) throws IOException {
    try (CacheLock.Held exclusive = CacheLock.of(directory).exclusive();
        Repository repository = open()) {
      return work.apply(repository);
    }
  }

  /**
   * Runs {@code work}, which must only read the repository, while no thread or process writes it;
   * other readers run at the same time. It neither creates nor repairs the repository: that is
   * {@link #use}'s part.
   *
   * @return what {@code work} returned; empty also when there is no repository that can be opened
   * @throws ApplicationFailure {@code VENDOR_UNAVAILABLE} (retryable) when the cache cannot be
   *     locked or the work fails with an I/O error
   */
  <T> Optional<T> read(Work<Optional<T>> work) {
    try (CacheLock.Held shared = CacheLock.of(directory).shared()) {
      Repository repository;
      try {
        repository = openExisting(directory.resolve(REPOSITORY_DIRECTORY));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
      try (repository) {
        return work.apply(repository);
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "The local Git cache " + directory + " is unusable: " + e,
          FailureType.VENDOR_UNAVAILABLE.type());
    }
  }

  /**
   * Makes the automatic garbage collection after a fetch run in the fetching thread, while the
   * cache's lock is held exclusively. Detached, it would run on after the locks are released and could lose
   * its lock files to {@link #removeStaleLocks} of the next user of the cache.
   */
  public static void collectGarbageInTheForeground(Repository repository) throws IOException {
    StoredConfig config = repository.getConfig();
    if (config.getBoolean(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTODETACH, true)) {
      config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
      config.save();
    }
  }

  private Repository open() throws IOException {
    Path gitDirectory = directory.resolve(REPOSITORY_DIRECTORY);
    if (Files.exists(gitDirectory)) {
      try {
        removeStaleLocks(gitDirectory);
        return openExisting(gitDirectory);
      } catch (IOException | RuntimeException e) {
        // Any failure to open it means it cannot be trusted, and a cache costs only a fetch to
        // rebuild, so it is not worth telling failure kinds apart here.
        log.warn("Re-creating the unreadable Git cache {}: {}", gitDirectory, e.toString());
        FileUtils.delete(gitDirectory.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
      }
    }
    Repository repository =
        new FileRepositoryBuilder().setGitDir(gitDirectory.toFile()).setBare().build();
    repository.create(true);
    return repository;
  }

  private static Repository openExisting(Path gitDirectory) throws IOException {
    Repository repository =
        new FileRepositoryBuilder()
            .setGitDir(gitDirectory.toFile())
            .setBare()
            .setMustExist(true)
            .build();
    try {
      // Reading every ref proves the ref database is readable before anything relies on it.
      repository.getRefDatabase().getRefs();
      return repository;
    } catch (IOException | RuntimeException e) {
      repository.close();
      throw e;
    }
  }

  /**
   * Deletes the lock files a process killed in the middle of a fetch leaves behind. JGit would
   * otherwise refuse every later update of the locked ref. Only safe because this thread holds both
   * the cache's lock exclusively.
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
