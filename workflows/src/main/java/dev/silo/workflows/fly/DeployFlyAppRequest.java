package dev.silo.workflows.fly;

import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.database.SecretRef;
import java.util.Map;

/**
 * @param appName the app to deploy into
 * @param spec the service's parsed {@code fly.toml}
 * @param secrets values set as the machine's secret environment; only runs that started before
 *     secrets were passed by reference send values here, new runs send {@code secretRefs}
 * @param secretRefs the machine's secret environment by reference: each variable's value is looked
 *     up in the worker's secret store by the activity, so it never crosses workflow history
 */
public record DeployFlyAppRequest(String appName, FlyAppSpec spec, Map<String, String> secrets,
    Map<String, SecretRef> secretRefs) {

  public DeployFlyAppRequest {
    secrets = secrets == null ? Map.of() : secrets;
    secretRefs = secretRefs == null ? Map.of() : secretRefs;
  }

  /** A request whose secret environment is given by value. */
  public DeployFlyAppRequest(String appName, FlyAppSpec spec, Map<String, String> secrets) {
    this(appName, spec, secrets, Map.of());
  }

  @Override
  public String toString() {
    return "DeployFlyAppRequest[appName=" + appName + ", service=" + spec.service() + ", secrets="
        + secrets.keySet() + ", secretRefs=" + secretRefs + "]";
  }
}
