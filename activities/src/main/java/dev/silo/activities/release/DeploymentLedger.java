package dev.silo.activities.release;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.silo.workflows.release.PreviousDeployment;
import dev.silo.workflows.release.RecordDeploymentRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The worker's ledger of successful deployments, beside the ledger of bad versions: one JSON file
 * per project, {@code <directory>/<project>/deployments.json}, holding per environment its latest
 * successful deployments, newest last. A deployment's rollback reads the one before it as {@code
 * $PREVIOUS_VERSION} and {@code $PREVIOUS_DATE}.
 *
 * <p>A deployment is recorded as a {@link ProjectJsonFile} change, like a mark in {@link
 * BadVersionLedger}.
 */
final class DeploymentLedger {

  /** How many deployments are kept per environment; only the latest ones are ever read. */
  private static final int KEPT = 20;

  private static final ProjectJsonFile<TreeMap<String, List<Entry>>> DEPLOYMENTS =
      new ProjectJsonFile<>("deployments", new TypeReference<>() {}, TreeMap::new);

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
      return DEPLOYMENTS.change(projectDirectory, all -> {
        List<Entry> entries = new ArrayList<>(all.getOrDefault(request.environment(), List.of()));
        for (Entry entry : entries) {
          if (entry.workflowId().equals(request.workflowId())) {
            return ProjectJsonFile.Change.unchanged(deployment(entry));
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
        return ProjectJsonFile.Change.changed(deployment(entry));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not record the deployment of " + request.version() + " in " + projectDirectory, e);
    }
  }

  /** The latest deployment of the environment not made by {@code workflowId}, or none. */
  PreviousDeployment previous(String project, String environment, String workflowId) {
    Path projectDirectory = directory.resolve(project);
    try {
      List<Entry> entries = DEPLOYMENTS.read(projectDirectory).getOrDefault(environment, List.of());
      for (int i = entries.size() - 1; i >= 0; i--) {
        if (!entries.get(i).workflowId().equals(workflowId)) {
          return deployment(entries.get(i));
        }
      }
      return PreviousDeployment.none();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read the ledger " + projectDirectory.resolve(DEPLOYMENTS.fileName()), e);
    }
  }

  private static PreviousDeployment deployment(Entry entry) {
    return new PreviousDeployment(
        true, entry.version(), entry.commit(), entry.workflowId(), entry.deployedAt());
  }
}
