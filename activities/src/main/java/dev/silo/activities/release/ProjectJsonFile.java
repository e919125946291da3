package dev.silo.activities.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One JSON document per project of a worker's ledger, {@code <project directory>/<name>.json}.
 *
 * <p>A change is made under a lock, which threads of this JVM take per file and processes through
 * an OS file lock beside it ({@code <name>.lock}), and lands through a temporary file forced to
 * disk and moved over the document, so a reader never sees half a file and a crash never loses
 * what was there. Reading takes no lock for that reason.
 *
 * @param <T> the document's type
 */
final class ProjectJsonFile<T> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  /**
   * What a change found or made, and whether the document must be written.
   *
   * @param result what the change answers
   * @param changed whether it changed the document
   */
  record Change<R>(R result, boolean changed) {

    static <R> Change<R> unchanged(R result) {
      return new Change<>(result, false);
    }

    static <R> Change<R> changed(R result) {
      return new Change<>(result, true);
    }
  }

  private final String fileName;
  private final String lockName;
  private final TypeReference<T> type;
  private final Supplier<T> empty;

  /**
   * @param name the document's name without {@code .json}
   * @param type the document's type, for Jackson
   * @param empty the document of a project that has none yet
   */
  ProjectJsonFile(String name, TypeReference<T> type, Supplier<T> empty) {
    this.fileName = name + ".json";
    this.lockName = name + ".lock";
    this.type = type;
    this.empty = empty;
  }

  String fileName() {
    return fileName;
  }

  /** The project's document as it stands, or the empty one. */
  T read(Path projectDirectory) throws IOException {
    Path file = projectDirectory.resolve(fileName);
    if (!Files.exists(file)) {
      return empty.get();
    }
    return JSON.readValue(file.toFile(), type);
  }

  /**
   * Applies a change to the project's document under both locks, writing it only when the change
   * says it changed it; the project directory is created on first use.
   */
  <R> R change(Path projectDirectory, Function<T, Change<R>> change) throws IOException {
    Path lockFile = Files.createDirectories(projectDirectory).toRealPath().resolve(lockName);
    ReentrantLock threadLock = LOCKS.computeIfAbsent(lockFile, path -> new ReentrantLock());
    threadLock.lock();
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock processLock = channel.lock()) {
      T document = read(projectDirectory);
      Change<R> outcome = change.apply(document);
      if (outcome.changed()) {
        write(projectDirectory, document);
      }
      return outcome.result();
    } finally {
      threadLock.unlock();
    }
  }

  private void write(Path projectDirectory, T document) throws IOException {
    Path temporary = Files.createTempFile(projectDirectory, "." + fileName, ".partial");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(document)));
        // On disk before the move, so a crash right after it cannot leave an empty document.
        channel.force(true);
      }
      Files.move(
          temporary,
          projectDirectory.resolve(fileName),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
