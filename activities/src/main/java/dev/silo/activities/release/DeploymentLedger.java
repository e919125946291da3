package dev.silo.activities.release;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.silo.workflows.release.EarlierDeployment;
import dev.silo.workflows.release.PreviousDeployment;
import dev.silo.workflows.release.RecordDeploymentRequest;
import dev.silo.workflows.release.VersionDeployments;
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

  /**
   * One deployment in the file. The workflow ID is the same each time a version goes to an
   * environment, so a deployment is its workflow ID and its run ID; entries written before the run ID
   * was recorded have none.
   */
  private record Entry(String version, String commit, String workflowId, String runId, String deployedAt) {

    /**
     * Whether this entry is the deployment of the given run. A request without a run ID comes from a
     * deployment scheduled before run IDs were recorded, and its workflow ID alone decides, as it did
     * then; an entry without one was written by such a deployment, never by a run that has an ID.
     */
    boolean madeBy(String otherWorkflowId, String otherRunId) {
      return workflowId.equals(otherWorkflowId)
          && (otherRunId == null || otherRunId.equals(runId));
    }
  }

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

  /**
   * Records a deployment, unless its run is recorded already (a retry); returns the record. A later
   * run of the same workflow ID, the same version deployed again, is a new deployment and the newest.
   */
  PreviousDeployment record(RecordDeploymentRequest request) {
    Path projectDirectory = directory.resolve(request.project());
    try {
      return DEPLOYMENTS.change(projectDirectory, all -> {
        List<Entry> entries = new ArrayList<>(all.getOrDefault(request.environment(), List.of()));
        for (Entry entry : entries) {
          if (entry.madeBy(request.workflowId(), request.runId())) {
            return ProjectJsonFile.Change.unchanged(deployment(entry));
          }
        }
        Entry entry =
            new Entry(request.version(), request.commit(), request.workflowId(), request.runId(),
                clock.instant().toString());
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

  /**
   * The latest deployment of the environment not made by the asking run, or none: an earlier run of
   * the same workflow ID (the same version deployed before) counts.
   */
  PreviousDeployment previous(String project, String environment, String workflowId, String runId) {
    Path projectDirectory = directory.resolve(project);
    try {
      List<Entry> entries = DEPLOYMENTS.read(projectDirectory).getOrDefault(environment, List.of());
      for (int i = entries.size() - 1; i >= 0; i--) {
        if (!entries.get(i).madeBy(workflowId, runId)) {
          return deployment(entries.get(i));
        }
      }
      return PreviousDeployment.none();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read the ledger " + projectDirectory.resolve(DEPLOYMENTS.fileName()), e);
    }
  }

  /**
   * The latest deployment of the version at the commit in each environment that has one; the ledger
   * keeps the latest deployments of each environment only, so an old one may be forgotten.
   */
  VersionDeployments ofVersion(String project, String version, String commit) {
    Path projectDirectory = directory.resolve(project);
    try {
      List<EarlierDeployment> found = new ArrayList<>();
      DEPLOYMENTS.read(projectDirectory).forEach((environment, entries) -> {
        for (int i = entries.size() - 1; i >= 0; i--) {
          Entry entry = entries.get(i);
          if (entry.version().equals(version) && entry.commit().equals(commit)) {
            found.add(new EarlierDeployment(environment, entry.version(), entry.commit(), entry.workflowId(),
                entry.runId(), entry.deployedAt()));
            return;
          }
        }
      });
      return new VersionDeployments(List.copyOf(found));
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
