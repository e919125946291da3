package dev.silo.activities.command;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds one workspace for one run. Within this JVM a lock per lock file; across workers sharing
 * the directory an OS file lock (which the JVM does not let two threads of its own take). Waiting
 * heartbeats, so a run stuck behind another is still seen alive, and still sees a cancellation.
 */
final class WorkspaceLock implements AutoCloseable {

  private static final ConcurrentMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private static final long POLL_MILLIS = 500;

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock fileLock;

  private WorkspaceLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
    this.local = local;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  static WorkspaceLock acquire(Path lockFile, ActivityHeartbeat heartbeat) {
    ReentrantLock local = LOCAL.computeIfAbsent(lockFile.toAbsolutePath().normalize(), path -> new ReentrantLock());
    try {
      while (!local.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        heartbeat.beat("waiting for the workspace");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the workspace", e);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fileLock;
      while ((fileLock = channel.tryLock()) == null) {
        heartbeat.beat("waiting for the workspace");
        Thread.sleep(POLL_MILLIS);
      }
      return new WorkspaceLock(local, channel, fileLock);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeQuietly(channel);
      local.unlock();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the workspace", e);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("Could not lock " + lockFile, io);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  public void close() {
    try {
      fileLock.release();
    } catch (IOException ignored) {
      // Closing the channel below releases the lock anyway.
    } finally {
      closeQuietly(channel);
      local.unlock();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing is left to release.
      }
    }
  }
}
