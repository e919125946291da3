package dev.silo.worker;

import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.database.DatabaseActivities;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.netlify.NetlifyActivities;
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
 */
public record SiloActivities(
    ConfigActivities config,
    GitActivities git,
    DockerActivities docker,
    FlyActivities fly,
    NetlifyActivities netlify,
    DeskActivities desk,
    DatabaseActivities database) {

  /** Requires the config activities; the others may be absent. */
  public SiloActivities {
    Objects.requireNonNull(config, "config");
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
    return systems;
  }
}
