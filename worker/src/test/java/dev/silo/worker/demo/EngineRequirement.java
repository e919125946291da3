package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.fail;

import dev.silo.activities.docker.DockerEngine;
import dev.silo.activities.settings.WorkerSettings;
import org.junit.jupiter.api.Assumptions;

/**
 * The end-to-end tests run the containers on a real engine. Without one, a developer's laptop skips
 * them with a visible notice; CI (CI=true) must have one, so there a missing engine is a failure.
 */
final class EngineRequirement {

  private EngineRequirement() {}

  static void require() {
    DockerEngine.Probe probe = DockerEngine.probe(WorkerSettings.docker(System.getenv()));
    if (probe.engine().isPresent()) {
      probe.engine().get().close();
      return;
    }
    String notice = "no container engine: " + probe.tried();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(notice + ": CI must provide one (.ci/start-engine)");
    }
    System.err.println("SKIPPED end-to-end tests: " + notice + "; start one with .ci/start-engine");
    Assumptions.abort(notice);
  }
}
