package dev.silo.worker;

import dev.silo.activities.signing.TrustActivitiesImpl;
import dev.silo.workflows.command.CommandActivities;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.database.ReleaseDatabaseActivities;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.health.HealthActivities;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.release.ReleaseActivities;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.TrustActivities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The activity implementations a worker serves, one per external system. A null component means
 * that system is not available to this worker; its activities are then not registered, and a
 * workflow that calls them waits on the task queue until a worker that has them polls it.
 *
 * @param config required: every deployment starts by reading its config directory
 * @param git the Git branch activities, or null
 * @param docker the container activities, served on the Docker task queue, or null
 * @param fly the Fly.io activities, or null
 * @param netlify the Netlify activities, or null
 * @param desk the Service Desk activities, or null
 * @param database the migration and key activities, or null
 * @param release a release project's definition and the ledger of bad versions, or null
 * @param releaseDatabase the database steps of a release pipeline, or null
 * @param lock the environment lock's signal-with-start, or null
 * @param command the shell steps of a release pipeline, or null
 * @param health the health checks and metrics reads of a release pipeline, or null
 * @param notifications the notifications and incidents of a release pipeline, or null
 * @param trust the worker's allowed signers, against which runs verify starts and decisions;
 *     required, and {@link AllowedSigners#none()} when the worker has no file
 */
public record SiloActivities(
    ConfigActivities config,
    GitActivities git,
    DockerActivities docker,
    FlyActivities fly,
    NetlifyActivities netlify,
    DeskActivities desk,
    DatabaseActivities database,
    ReleaseActivities release,
    ReleaseDatabaseActivities releaseDatabase,
    LockActivities lock,
    CommandActivities command,
    HealthActivities health,
    NotifyActivities notifications,
    TrustActivities trust) {

  /** Requires the config and trust activities; the others may be absent. */
  public SiloActivities {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(trust, "trust");
  }

  /** A worker without an allowed-signers file: decisions are unauthenticated. */
  public SiloActivities(ConfigActivities config, GitActivities git, DockerActivities docker, FlyActivities fly,
      NetlifyActivities netlify, DeskActivities desk, DatabaseActivities database, ReleaseActivities release,
      ReleaseDatabaseActivities releaseDatabase, LockActivities lock, CommandActivities command,
      HealthActivities health, NotifyActivities notifications) {
    this(config, git, docker, fly, netlify, desk, database, release, releaseDatabase, lock, command, health,
        notifications, new TrustActivitiesImpl(AllowedSigners.none()));
  }

  /** The implementations served on the main Silo task queue: all but Docker. */
  public List<Object> onSiloQueue() {
    List<Object> present = new ArrayList<>();
    bySystem().forEach(
        (system, implementation) -> {
          if (implementation != null && !"docker".equals(system)) {
            present.add(implementation);
          }
        });
    return present;
  }

  /** The names of the systems without an implementation, in a stable order. */
  public List<String> unavailable() {
    List<String> missing = new ArrayList<>();
    bySystem().forEach(
        (system, implementation) -> {
          if (implementation == null) {
            missing.add(system);
          }
        });
    return missing;
  }

  private Map<String, Object> bySystem() {
    Map<String, Object> systems = new LinkedHashMap<>();
    systems.put("config", config);
    systems.put("git", git);
    systems.put("docker", docker);
    systems.put("fly", fly);
    systems.put("netlify", netlify);
    systems.put("desk", desk);
    systems.put("database", database);
    systems.put("release", release);
    systems.put("release-database", releaseDatabase);
    systems.put("lock", lock);
    systems.put("command", command);
    systems.put("health", health);
    systems.put("notify", notifications);
    systems.put("trust", trust);
    return systems;
  }
}
