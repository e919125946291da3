package dev.silo.worker.demo;

import dev.silo.activities.docker.DockerActivitiesImpl;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import dev.silo.workflows.silo.SiloNames;
import java.io.PrintStream;

/** Leaves the engine as the demo found it: {@code compose down -v} for the demo's silo. */
final class DemoContainers {

  private DemoContainers() {}

  static void remove(DemoEnvironment demo, PrintStream out) {
    String project = new SiloNames(DemoEnvironment.CLIENT, DemoEnvironment.APP).composeProject();
    demo.engine().ifPresent(engine -> {
      TeardownResult removed = new DockerActivitiesImpl(engine).teardown(new TeardownRequest(project, true));
      out.println();
      out.println("Removed what the demo ran on the engine (compose down -v of " + project + "): "
          + removed.removedContainers().size() + " containers " + removed.removedContainers() + ", "
          + removed.removedNetworks().size() + " network(s), " + removed.removedVolumes().size()
          + " volume(s). Use --keep-containers to leave them running.");
    });
  }
}
