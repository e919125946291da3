package dev.silo.activities.config;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads silo config directories from the worker's file system.
 *
 * <p>A bad name fails with {@code INVALID_REQUEST} and a bad directory with {@code INVALID_CONFIG},
 * neither retried: reading the same files again gives the same answer. An I/O error that is not a
 * config problem propagates as it is, so that Temporal retries the activity.
 */
public final class ConfigActivitiesImpl implements ConfigActivities {

  private final Path defaultConfigRoot;
  private final SiloConfigLoader loader = new SiloConfigLoader();

  /**
   * @param defaultConfigRoot the worker's {@code SILO_CONFIG_ROOT}, used when a request names no
   *     config root
   */
  public ConfigActivitiesImpl(Path defaultConfigRoot) {
    this.defaultConfigRoot = Objects.requireNonNull(defaultConfigRoot, "defaultConfigRoot");
  }

  @Override
  public SiloConfig loadSiloConfig(LoadSiloConfigRequest request) {
    List<String> nameProblems = SiloNames.problems(request.client(), request.app());
    if (!nameProblems.isEmpty()) {
      throw invalidRequest(String.join("; ", nameProblems));
    }
    try {
      Path root = configRoot(request);
      SiloConfig config = loader.load(root, request.client(), request.app());
      if (config.allowUnsignedDecisions() && !sameDirectory(root, defaultConfigRoot)) {
        // Who may decide is the worker's to say: a config root the request chose cannot relax it.
        return new SiloConfig(config.client(), config.app(), config.directory(), config.composeFile(),
            config.services(), config.flyApps(), config.netlifyEnv(), config.migrations(), config.dockerTaskQueue(),
            false);
      }
      return config;
    } catch (SiloConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureType.INVALID_CONFIG.type(), e.renderedProblems());
    }
  }

  private static boolean sameDirectory(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private Path configRoot(LoadSiloConfigRequest request) {
    String configRoot = request.configRoot();
    if (configRoot == null || configRoot.isBlank()) {
      return defaultConfigRoot;
    }
    try {
      return Path.of(configRoot);
    } catch (InvalidPathException e) {
      throw invalidRequest(
          "config root '" + configRoot + "' is not a valid path: " + e.getReason());
    }
  }

  private static ApplicationFailure invalidRequest(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
