package dev.silo.activities.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.silo.workflows.release.BadVersion;
import dev.silo.workflows.release.MarkVersionBadRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's ledger of versions rolled back: one JSON file per project, {@code
 * <directory>/<project>/bad-versions.json}, mapping each version to its first mark.
 *
 * <p>A mark is written under a lock, which threads of this JVM take per file and processes through
 * an OS file lock, and lands through a temporary file moved over the ledger, so a reader never sees
 * half a file and a crash never loses the marks already there. Reading takes no lock for that
 * reason.
 */
final class BadVersionLedger {

  static final String FILE_NAME = "bad-versions.json";

  private static final String LOCK_FILE = "bad-versions.lock";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final TypeReference<TreeMap<String, Mark>> MARKS = new TypeReference<>() {};

  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  /** A version's entry in the file. */
  private record Mark(String environment, String reason, String workflowId, String markedAt) {}

  private final Path directory;
  private final Clock clock;

  /**
   * @param directory the directory holding one subdirectory per project; created on first mark
   * @param clock the time a mark is recorded at
   */
  BadVersionLedger(Path directory, Clock clock) {
    this.directory = directory.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** Marks a version, unless it is marked already; returns the mark that stands. */
  BadVersion mark(MarkVersionBadRequest request) {
    Path projectDirectory = directory.resolve(request.project());
    try {
      ReentrantLock threadLock =
          LOCKS.computeIfAbsent(
              Files.createDirectories(projectDirectory).toRealPath(), path -> new ReentrantLock());
      threadLock.lock();
      try (FileChannel channel =
              FileChannel.open(
                  projectDirectory.resolve(LOCK_FILE),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock processLock = channel.lock()) {
        TreeMap<String, Mark> marks = read(projectDirectory.resolve(FILE_NAME));
        Mark existing = marks.get(request.version());
        if (existing != null) {
          return badVersion(request.project(), request.version(), existing);
        }
        Mark mark =
            new Mark(
                request.environment(), request.reason(), request.workflowId(), clock.instant().toString());
        marks.put(request.version(), mark);
        write(projectDirectory, marks);
        return badVersion(request.project(), request.version(), mark);
      } finally {
        threadLock.unlock();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not mark " + request.version() + " bad in " + projectDirectory, e);
    }
  }

  /** The mark of a version, or a {@link BadVersion#good} one when it has none. */
  BadVersion find(String project, String version) {
    Path file = directory.resolve(project).resolve(FILE_NAME);
    try {
      Mark mark = read(file).get(version);
      return mark == null ? BadVersion.good(project, version) : badVersion(project, version, mark);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the ledger " + file, e);
    }
  }

  private static TreeMap<String, Mark> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    return JSON.readValue(file.toFile(), MARKS);
  }

  private static void write(Path projectDirectory, Map<String, Mark> marks) throws IOException {
    Path temporary = Files.createTempFile(projectDirectory, "." + FILE_NAME, ".partial");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(marks)));
        // On disk before the move, so a crash right after it cannot leave an empty ledger.
        channel.force(true);
      }
      Files.move(
          temporary,
          projectDirectory.resolve(FILE_NAME),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static BadVersion badVersion(String project, String version, Mark mark) {
    return new BadVersion(
        project, version, true, mark.environment(), mark.reason(), mark.workflowId(), mark.markedAt());
  }
}
