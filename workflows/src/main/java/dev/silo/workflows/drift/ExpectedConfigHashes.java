package dev.silo.workflows.drift;

import dev.silo.workflows.Failures;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.database.SecretRef;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config hash each deployed Fly app's machine should carry, as the deployment computes it: the
 * silo's config read again from the worker's config root, each {@code fly/{service}.toml} hashed by
 * the Fly activities with the secret references the deployment passes. The deployment's report does
 * not record the hashes, and recording them would change the deployment workflow. An app whose hash
 * cannot be computed (the config no longer reads, its file is gone, a secret is missing) is listed
 * as not compared with why; the check goes on.
 */
final class ExpectedConfigHashes {

  /** The hashes, by app, and a line for each app that could not be compared. */
  record Expected(Map<String, String> hashes, List<String> notCompared) {}

  private final Promise<SiloConfig> config;

  /** Starts reading the config, side by side with the check's other reads. */
  ExpectedConfigHashes(ConfigActivities configs, SiloNames names) {
    config = Async.function(configs::loadSiloConfig, new LoadSiloConfigRequest(null, names.client(), names.app()));
  }

  /** Waits for the config, then hashes every app's spec side by side. */
  Expected hashes(FlyActivities fly, SiloNames names, List<String> apps) {
    Map<String, String> hashes = new LinkedHashMap<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    SiloConfig loaded;
    try {
      loaded = config.get();
    } catch (ActivityFailure failure) {
      String reason = "the silo's config cannot be read: " + Failures.message(failure);
      apps.forEach(app -> reasons.put(app, reason));
      return new Expected(hashes, lines(reasons));
    }
    Map<String, Promise<String>> computing = new LinkedHashMap<>();
    for (String app : apps) {
      FlyAppSpec spec = loaded.flyApps().stream()
          .filter(candidate -> names.flyApp(candidate.service()).equals(app))
          .findFirst()
          .orElse(null);
      if (spec == null) {
        reasons.put(app, "the silo's config no longer holds its fly.toml");
      } else {
        computing.put(app, Async.function(fly::expectedConfigHash,
            new DeployFlyAppRequest(app, spec, Map.of(), SecretRef.machineEnvironment(names.siloId()))));
      }
    }
    computing.forEach((app, hash) -> {
      try {
        hashes.put(app, hash.get());
      } catch (ActivityFailure failure) {
        reasons.put(app, "its expected hash cannot be computed: " + Failures.message(failure));
      }
    });
    return new Expected(hashes, lines(reasons));
  }

  private static List<String> lines(Map<String, String> reasons) {
    return reasons.entrySet().stream().map(entry -> "fly config hash of " + entry.getKey() + ": " + entry.getValue())
        .toList();
  }
}
