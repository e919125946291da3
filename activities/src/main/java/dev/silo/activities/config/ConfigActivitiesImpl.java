package dev.silo.activities.config;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads silo config directories from the worker's file system, only under the worker's own config
 * roots: a request names a silo, and the silo's directory must be under exactly one root.
 *
 * <p>A bad name, or a request that names a config root of its own, fails with {@code
 * INVALID_REQUEST}, and a bad or missing directory with {@code INVALID_CONFIG}, neither retried:
 * reading the same files again gives the same answer. An I/O error that is not a config problem
 * propagates as it is, so that Temporal retries the activity.
 */
public final class ConfigActivitiesImpl implements ConfigActivities {

  private final ConfigRoots roots;
  private final SiloConfigLoader loader = new SiloConfigLoader();

  /** @param roots the worker's config roots, its {@value ConfigRoots#VARIABLE} */
  public ConfigActivitiesImpl(ConfigRoots roots) {
    this.roots = Objects.requireNonNull(roots, "roots");
  }

  /** @param configRoot the worker's only config root */
  public ConfigActivitiesImpl(Path configRoot) {
    this(ConfigRoots.of(Objects.requireNonNull(configRoot, "configRoot")));
  }

  @Override
  public SiloConfig loadSiloConfig(LoadSiloConfigRequest request) {
    List<String> nameProblems = SiloNames.problems(request.client(), request.app());
    if (!nameProblems.isEmpty()) {
      throw invalidRequest(String.join("; ", nameProblems));
    }
    String directory = new SiloNames(request.client(), request.app()).configDirectory();
    String requested = request.configRoot();
    if (requested == null || requested.isBlank()) {
      return load(roots.locate(directory), request);
    }
    Path named = roots.matching(requested).orElseThrow(() -> invalidRequest("config root '" + requested
        + "' is not one of the worker's config roots: the worker reads silos only under its own "
        + ConfigRoots.VARIABLE + ", so a request names the silo and no config root"));
    Path root = roots.locate(directory);
    if (!root.equals(named)) {
      throw invalidRequest("config root '" + requested + "' does not hold silo " + directory
          + ": a request names the silo and no config root");
    }
    return load(root, request);
  }

  private SiloConfig load(Path root, LoadSiloConfigRequest request) {
    try {
      // The config comes from the worker's own root, so its allow_unsigned_decisions is the worker's word.
      return loader.load(root, request.client(), request.app());
    } catch (SiloConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureType.INVALID_CONFIG.type(), e.renderedProblems());
    }
  }

  private static ApplicationFailure invalidRequest(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
