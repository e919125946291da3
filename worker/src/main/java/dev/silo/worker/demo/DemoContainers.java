package dev.silo.worker.demo;

import dev.silo.activities.docker.DockerActivitiesImpl;
import dev.silo.activities.docker.DockerEngine;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import dev.silo.workflows.silo.SiloNames;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the demo leaves on the container engine: by default nothing ({@code compose down -v} of the
 * demo's silo at the end); with {@code --keep-containers}, the containers and the config copy their
 * bind mounts read, until {@code silo demo --remove-containers}.
 */
final class DemoContainers {

  /** The command that removes what {@code --keep-containers} left, as the user types it. */
  static final String REMOVE_COMMAND = "./silo demo --remove-containers";

  private DemoContainers() {}

  /** Where {@code --keep-containers} puts the silo config, under the repository the demo runs from. */
  static Path keptConfigRoot(Path repository) {
    return repository.resolve(".silo").resolve("demo").resolve("config").resolve("silos");
  }

  static void remove(DemoEnvironment demo, PrintStream out) {
    demo.engine().ifPresent(engine -> {
      TeardownResult removed = teardown(engine);
      out.println();
      out.println("Removed what the demo ran on the engine (compose down -v of " + project() + "): "
          + describe(removed) + ". Use --keep-containers to leave them running.");
    });
  }

  /**
   * Says what {@code --keep-containers} left and the command that removes it; without an engine
   * nothing ran, so the config copy is removed at once.
   */
  static void describeKept(DemoEnvironment demo, PrintStream out) {
    out.println();
    if (demo.engine().isEmpty()) {
      DemoEnvironment.deleteRecursively(demo.configRoot());
      out.println("--keep-containers: no container engine ran the containers, so nothing is left running.");
      return;
    }
    out.println("The containers of compose project " + project() + " keep running on " + demo.engine().get().host()
        + "; their bind mounts read the config under " + demo.configRoot() + ", which stays too.");
    out.println("Remove the containers, their network and volumes, and that config with: " + REMOVE_COMMAND);
  }

  /**
   * {@code silo demo --remove-containers}: removes what an earlier {@code --keep-containers} left.
   *
   * @return the exit code: 0 once removed, 2 when no container engine answers
   */
  static int removeKept(Path repository, Map<String, String> env, PrintStream out, PrintStream err) {
    DockerEngine.Probe probe = DockerEngine.probe(WorkerSettings.docker(env));
    if (probe.engine().isEmpty()) {
      err.println("demo: no container engine: " + probe.tried() + "; nothing was removed");
      return 2;
    }
    Path config = keptConfigRoot(repository).getParent().getParent();
    try (DockerEngine engine = probe.engine().get()) {
      TeardownResult removed = teardown(engine);
      boolean hadConfig = Files.exists(config);
      DemoEnvironment.deleteRecursively(config);
      out.println("Removed from " + engine.host() + " (compose down -v of " + project() + "): " + describe(removed)
          + (hadConfig ? "; and the config the containers read, " + config : ""));
    }
    return 0;
  }

  private static TeardownResult teardown(DockerEngine engine) {
    return new DockerActivitiesImpl(engine).teardown(new TeardownRequest(project(), true));
  }

  private static String describe(TeardownResult removed) {
    return removed.removedContainers().size() + " containers " + removed.removedContainers() + ", "
        + removed.removedNetworks().size() + " network(s), " + removed.removedVolumes().size() + " volume(s)";
  }

  private static String project() {
    return new SiloNames(DemoEnvironment.CLIENT, DemoEnvironment.APP).composeProject();
  }
}
