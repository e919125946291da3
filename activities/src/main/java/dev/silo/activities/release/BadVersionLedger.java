package dev.silo.activities.release;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.silo.workflows.release.BadVersion;
import dev.silo.workflows.release.MarkVersionBadRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.TreeMap;

/**
 * The worker's ledger of versions rolled back: one JSON file per project, {@code
 * <directory>/<project>/bad-versions.json}, mapping each version to its first mark.
 *
 * <p>A mark is written as a {@link ProjectJsonFile} change: locked, then moved over the ledger in
 * one step, so a reader never sees half a file and a crash never loses the marks already there.
 */
final class BadVersionLedger {

  private static final ProjectJsonFile<TreeMap<String, Mark>> MARKS =
      new ProjectJsonFile<>("bad-versions", new TypeReference<>() {}, TreeMap::new);

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
      return MARKS.change(projectDirectory, marks -> {
        Mark existing = marks.get(request.version());
        if (existing != null) {
          return ProjectJsonFile.Change.unchanged(badVersion(request.project(), request.version(), existing));
        }
        Mark mark =
            new Mark(
                request.environment(), request.reason(), request.workflowId(), clock.instant().toString());
        marks.put(request.version(), mark);
        return ProjectJsonFile.Change.changed(badVersion(request.project(), request.version(), mark));
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Could not mark " + request.version() + " bad in " + projectDirectory, e);
    }
  }

  /** The mark of a version, or a {@link BadVersion#good} one when it has none. */
  BadVersion find(String project, String version) {
    Path projectDirectory = directory.resolve(project);
    try {
      Mark mark = MARKS.read(projectDirectory).get(version);
      return mark == null ? BadVersion.good(project, version) : badVersion(project, version, mark);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the ledger " + projectDirectory.resolve(MARKS.fileName()), e);
    }
  }

  private static BadVersion badVersion(String project, String version, Mark mark) {
    return new BadVersion(
        project, version, true, mark.environment(), mark.reason(), mark.workflowId(), mark.markedAt());
  }
}
