package dev.silo.workflows.fly;

import dev.silo.workflows.config.FlyAppSpec;
import java.util.Map;

/**
 * @param appName the app to deploy into
 * @param spec the service's parsed {@code fly.toml}
 * @param secrets values set as the machine's secret environment (database password, JWT secret);
 *     they cross workflow history only through the encrypting payload codec
 */
public record DeployFlyAppRequest(String appName, FlyAppSpec spec, Map<String, String> secrets) {

  public DeployFlyAppRequest {
    secrets = secrets == null ? Map.of() : secrets;
  }

  @Override
  public String toString() {
    return "DeployFlyAppRequest[appName=" + appName + ", service=" + spec.service() + ", secrets="
        + secrets.keySet() + "]";
  }
}
