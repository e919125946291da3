package dev.silo.activities.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.silo.workflows.release.PreviousDeployment;
import dev.silo.workflows.release.RecordDeploymentRequest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's ledger of successful deployments, beside the ledger of bad versions: one JSON file
 * per project, {@code <directory>/<project>/deployments.json}, holding per environment its latest
 * successful deployments, newest last. A deployment's rollback reads the one before it as {@code
 * $PREVIOUS_VERSION} and {@code $PREVIOUS_DATE}.
 *
 * <p>Writes take the same two locks as {@link BadVersionLedger} (per file in this JVM, an OS file
 * lock across processes) and land through a temporary file moved over the ledger.
 */
final class DeploymentLedger {

  static final String FILE_NAME = "deployments.json";

  private static final String LOCK_FILE = "deployments.lock";

  /** How many deployments are kept per environment; only the latest ones are ever read. */
  private static final int KEPT = 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final TypeReference<TreeMap<String, List<Entry>>> ENTRIES = new TypeReference<>() {};

  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  /** One deployment in the file. */
  private record Entry(String version, String commit, String workflowId, String deployedAt) {}

  private final Path directory;
  private final Clock clock;

  /**
   * @param directory the directory holding one subdirectory per project; created on first record
   * @param clock the time a deployment is recorded at
   */
  DeploymentLedger(Path directory, Clock clock) {
    this.directory = directory.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** Records a deployment, unless its workflow ID is recorded already; returns the record. */
  PreviousDeployment record(RecordDeploymentRequest request) {
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
        TreeMap<String, List<Entry>> all = read(projectDirectory.resolve(FILE_NAME));
        List<Entry> entries = new ArrayList<>(all.getOrDefault(request.environment(), List.of()));
        for (Entry entry : entries) {
          if (entry.workflowId().equals(request.workflowId())) {
            return deployment(entry);
          }
        }
        Entry entry =
            new Entry(
                request.version(), request.commit(), request.workflowId(), clock.instant().toString());
        entries.add(entry);
        while (entries.size() > KEPT) {
          entries.remove(0);
        }
        all.put(request.environment(), entries);
        write(projectDirectory, all);
        return deployment(entry);
      } finally {
        threadLock.unlock();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not record the deployment of " + request.version() + " in " + projectDirectory, e);
    }
  }

  /** The latest deployment of the environment not made by {@code workflowId}, or none. */
  PreviousDeployment previous(String project, String environment, String workflowId) {
    Path file = directory.resolve(project).resolve(FILE_NAME);
    try {
      List<Entry> entries = read(file).getOrDefault(environment, List.of());
      for (int i = entries.size() - 1; i >= 0; i--) {
        if (!entries.get(i).workflowId().equals(workflowId)) {
          return deployment(entries.get(i));
        }
      }
      return PreviousDeployment.none();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the ledger " + file, e);
    }
  }

  private static TreeMap<String, List<Entry>> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    return JSON.readValue(file.toFile(), ENTRIES);
  }

  private static void write(Path projectDirectory, Map<String, List<Entry>> entries)
      throws IOException {
    Path temporary = Files.createTempFile(projectDirectory, "." + FILE_NAME, ".partial");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(entries)));
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

  private static PreviousDeployment deployment(Entry entry) {
    return new PreviousDeployment(
        true, entry.version(), entry.commit(), entry.workflowId(), entry.deployedAt());
  }
}
