package dev.silo.activities.git;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The lock of one cache directory, in two modes: exclusive for whoever writes the repository, and
 * shared for those that only read it, who then run side by side. Threads of this JVM queue on one
 * read-write lock per directory, and processes on a file lock beside the repository, which the
 * operating system releases when a process dies.
 *
 * <p>A JVM may hold only one file lock on a region, so the readers of this JVM share one: the
 * first to arrive takes the shared file lock and the last to leave releases it, before it lets go
 * of its thread lock, so that a writer of this JVM never finds the file lock still held. For the
 * same reason no channel on the file is opened or closed while another thread holds a lock on it:
 * on some systems closing any channel releases every lock the JVM holds on the file.
 */
final class CacheLock {

  /** A mode of the lock, held until closed. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** Lives beside the repository, not in it, so that re-creating the repository keeps the lock. */
  private static final String LOCK_FILE = "cache.lock";

  private static final ConcurrentMap<Path, CacheLock> LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
  private final Object readersGuard = new Object();

  /** The readers of this JVM inside the shared mode, and their file lock; guarded by readersGuard. */
  private int readers;

  private FileChannel sharedChannel;
  private FileLock sharedLock;

  private CacheLock(Path file) {
    this.file = file;
  }

  /** The lock of {@code directory}, created with the directory on first use. */
  static CacheLock of(Path directory) throws IOException {
    Path real = Files.createDirectories(directory).toRealPath();
    return LOCKS.computeIfAbsent(real, path -> new CacheLock(path.resolve(LOCK_FILE)));
  }

  /** Waits until no thread or process holds the lock in either mode, then holds it alone. */
  Held exclusive() throws IOException {
    threads.writeLock().lock();
    try {
      FileChannel channel = open();
      try {
        FileLock lock = channel.lock();
        return () -> {
          try (channel) {
            lock.release();
          } finally {
            threads.writeLock().unlock();
          }
        };
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      threads.writeLock().unlock();
      throw e;
    }
  }

  /** Waits until no thread or process holds the lock exclusively, then holds it beside others. */
  Held shared() throws IOException {
    threads.readLock().lock();
    try {
      synchronized (readersGuard) {
        if (readers == 0) {
          FileChannel channel = open();
          try {
            sharedLock = channel.lock(0, Long.MAX_VALUE, true);
          } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
          }
          sharedChannel = channel;
        }
        readers++;
      }
    } catch (IOException | RuntimeException e) {
      threads.readLock().unlock();
      throw e;
    }
    return this::leaveShared;
  }

  private void leaveShared() throws IOException {
    try {
      synchronized (readersGuard) {
        readers--;
        if (readers == 0) {
          try (FileChannel channel = sharedChannel) {
            sharedLock.release();
          } finally {
            sharedChannel = null;
            sharedLock = null;
          }
        }
      }
    } finally {
      threads.readLock().unlock();
    }
  }

  private FileChannel open() throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }
}
